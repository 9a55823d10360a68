package io.raftkv.persistence.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The machine checks limits again when applying, and checks the size an append would make. */
class KvStateMachineLimitsTest {

  private static final RequestId ID = RequestId.UNTRACKED;
  private final KvLimits limits = new KvLimits(8, 16, 10);
  private final KvTestSupport.Log log =
      new KvTestSupport.Log(new KvStateMachine(limits, KvTestSupport.ROOMY_SESSIONS));

  @Test
  void theMachineRefusesOversizeCommandsWhenApplyingToo() {
    assertEquals(
        new KvResult.LimitExceeded("valueBytesMax", 17, 16),
        log.apply(new KvCommand.Put(ID, "k", new byte[17])));
    assertEquals(KvResult.NOT_FOUND, log.machine.get("k"));
    assertEquals(
        new KvResult.LimitExceeded("scanEntriesMax", 11, 10),
        log.apply(new KvCommand.Scan("", 11)));
  }

  @Test
  void anAppendThatWouldGrowTheValueOverTheLimitIsRefusedAndChangesNothing() {
    log.apply(new KvCommand.Put(ID, "k", new byte[10]));
    assertEquals(KvResult.OK, log.apply(new KvCommand.Append(ID, "k", new byte[6])));
    // Each append passes validate() alone; the machine sees the 17 bytes it would make.
    assertEquals(Optional.empty(), limits.validate(new KvCommand.Append(ID, "k", new byte[1])));
    assertEquals(
        new KvResult.LimitExceeded("valueBytesMax", 17, 16),
        log.apply(new KvCommand.Append(ID, "k", new byte[1])));
    assertArrayEquals(new byte[16], ((KvResult.Value) log.machine.get("k")).value());
  }
}
