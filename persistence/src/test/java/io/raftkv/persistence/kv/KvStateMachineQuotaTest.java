package io.raftkv.persistence.kv;

import static io.raftkv.persistence.kv.KvTestSupport.bytes;
import static io.raftkv.persistence.kv.KvTestSupport.contents;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The space quota: the state's size (UTF-8 key bytes plus value bytes over every key) is counted
 * on every write; once it is over the quota, writes that would grow it are refused and everything
 * else goes on.
 */
class KvStateMachineQuotaTest {

  private static final int VALUE_BYTES_MAX = 256;
  /** Four keys of 5 bytes with values at the limit (1044 bytes) take the state over it. */
  private static final long QUOTA_BYTES = 1024;

  private static final KvLimits LIMITS = new KvLimits(64, VALUE_BYTES_MAX, 100);
  private final KvTestSupport.Log log =
      new KvTestSupport.Log(new KvStateMachine(LIMITS, KvTestSupport.ROOMY_SESSIONS, QUOTA_BYTES));

  private static byte[] filled(int length, int fill) {
    byte[] value = new byte[length];
    Arrays.fill(value, (byte) fill);
    return value;
  }

  private static KvCommand.Put put(String key, byte[] value) {
    return new KvCommand.Put(RequestId.UNTRACKED, key, value);
  }

  /** key-0 .. key-3 at the value limit: 4 x (5 + 256) = 1044 bytes, over the quota. */
  private void fillPastTheQuota() {
    for (int i = 0; i < 4; i++) {
      assertEquals(KvResult.OK, log.apply(put("key-" + i, filled(VALUE_BYTES_MAX, i))));
    }
    assertEquals(4 * (5 + VALUE_BYTES_MAX), log.machine.stateBytes());
    assertTrue(log.machine.quotaAlarm());
  }

  @Test
  void theStateCountsUtf8KeyBytesAndValueBytes() {
    KvStateMachine m = log.machine;
    log.apply(KvTestSupport.put("k", "abc"));
    assertEquals(1 + 3, m.stateBytes());
    log.apply(KvTestSupport.put("é", "xy")); // é is 2 bytes of UTF-8
    assertEquals(4 + 2 + 2, m.stateBytes());
    log.apply(KvTestSupport.put("k", "a")); // a smaller value over a larger one
    assertEquals(2 + 4, m.stateBytes());
    log.apply(KvTestSupport.append("k", "bcd"));
    assertEquals(5 + 4, m.stateBytes());
    log.apply(KvTestSupport.append("new", "")); // an empty append makes a key with an empty value
    assertEquals(9 + 3, m.stateBytes());
    log.apply(KvTestSupport.cas("k", "abcd", "z"));
    assertEquals(2 + 4 + 3, m.stateBytes());
    assertEquals(new KvResult.CasMismatch(bytes("z")), log.apply(KvTestSupport.cas("k", "other", "long value")));
    assertEquals(2 + 4 + 3, m.stateBytes(), "a mismatched cas changes nothing");
    log.apply(KvTestSupport.cas("absent", null, "v"));
    assertEquals(9 + 7, m.stateBytes());
    log.apply(KvTestSupport.delete("é"));
    assertEquals(16 - 4, m.stateBytes());
    assertEquals(KvResult.NOT_FOUND, log.apply(KvTestSupport.delete("é")));
    assertEquals(12, m.stateBytes());
    assertEquals(
        new KvResult.LimitExceeded(KvLimits.VALUE_BYTES_MAX, VALUE_BYTES_MAX + 1, VALUE_BYTES_MAX),
        log.apply(put("k", new byte[VALUE_BYTES_MAX + 1])));
    assertEquals(12, m.stateBytes(), "a refused write changes nothing");
  }

  @Test
  void overTheQuotaAWriteThatWouldGrowTheStateIsRefusedAndChangesNothing() {
    fillPastTheQuota();
    long full = log.machine.stateBytes();
    KvResult.QuotaExceeded refused = new KvResult.QuotaExceeded(full, QUOTA_BYTES);

    assertEquals(refused, log.apply(put("key-4", filled(VALUE_BYTES_MAX, 4))));
    assertEquals(refused, log.apply(put("x", new byte[0])), "a new key grows the state by its own bytes");
    assertEquals(refused, log.apply(KvTestSupport.append("missing", "")));
    assertEquals(refused, log.apply(KvTestSupport.cas("missing", null, "v")));
    assertEquals(KvResult.NOT_FOUND, log.machine.get("key-4"));
    assertEquals(KvResult.NOT_FOUND, log.machine.get("missing"));
    assertArrayEquals(filled(VALUE_BYTES_MAX, 0), ((KvResult.Value) log.machine.get("key-0")).value());
    assertEquals(full, log.machine.stateBytes());
    assertEquals("state is " + full + " bytes, over quotaBytes = 1024", refused.message());
  }

  @Test
  void theQuotaIsAtLeastOneValueAndNoneWithoutIt() {
    assertEquals(VALUE_BYTES_MAX, new KvStateMachine(LIMITS, KvTestSupport.ROOMY_SESSIONS, VALUE_BYTES_MAX).quotaBytes());
    assertEquals(KvStateMachine.QUOTA_BYTES_NONE, new KvStateMachine(LIMITS, KvTestSupport.ROOMY_SESSIONS).quotaBytes());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new KvStateMachine(LIMITS, KvTestSupport.ROOMY_SESSIONS, VALUE_BYTES_MAX - 1));
    assertEquals("quotaBytes must be at least valueBytesMax (256 bytes), got 255", e.getMessage());
  }

  @Test
  void overTheQuotaReadsDeletesAndWritesThatDoNotGrowTheStateAreApplied() {
    fillPastTheQuota();
    long full = log.machine.stateBytes();
    // the same size: a value of the same length, an empty append, a cas to a value as long
    assertEquals(KvResult.OK, log.apply(put("key-0", filled(VALUE_BYTES_MAX, 9))));
    assertEquals(KvResult.OK, log.apply(KvTestSupport.append("key-0", "")));
    assertEquals(
        KvResult.OK,
        log.apply(new KvCommand.CompareAndSet(RequestId.UNTRACKED, "key-1", filled(VALUE_BYTES_MAX, 1),
            filled(VALUE_BYTES_MAX, 7))));
    assertEquals(full, log.machine.stateBytes());
    assertArrayEquals(filled(VALUE_BYTES_MAX, 7), ((KvResult.Value) log.apply(new KvCommand.Get("key-1"))).value());
    assertEquals(4, ((KvResult.ScanResult) log.apply(new KvCommand.Scan("key-", 10))).entries().size());
    // smaller: still over the quota after it (1044 - 6 = 1038), and applied
    assertEquals(KvResult.OK, log.apply(put("key-2", filled(VALUE_BYTES_MAX - 6, 2))));
    assertEquals(full - 6, log.machine.stateBytes());
    assertTrue(log.machine.quotaAlarm());
    assertEquals(
        new KvResult.QuotaExceeded(full - 6, QUOTA_BYTES), log.apply(KvTestSupport.append("key-2", "!")),
        "growing it back is refused");
    assertEquals(KvResult.OK, log.apply(KvTestSupport.delete("key-3")));
    assertEquals(full - 6 - (5 + VALUE_BYTES_MAX), log.machine.stateBytes());
  }

  @Test
  void onceDeletesBringTheStateUnderTheQuotaWritesAreAcceptedAgain() {
    fillPastTheQuota();
    assertEquals(
        new KvResult.QuotaExceeded(log.machine.stateBytes(), QUOTA_BYTES),
        log.apply(put("key-4", filled(VALUE_BYTES_MAX, 4))));
    assertEquals(KvResult.OK, log.apply(KvTestSupport.delete("key-0")));
    assertFalse(log.machine.quotaAlarm(), "3 x 261 = 783 bytes");
    assertEquals(KvResult.OK, log.apply(put("key-4", filled(VALUE_BYTES_MAX, 4))));
    // 1044 again: the write that takes the state over the quota is applied; the next is not
    assertTrue(log.machine.quotaAlarm());
    assertEquals(new KvResult.QuotaExceeded(1044, QUOTA_BYTES), log.apply(put("key-5", new byte[1])));
    assertArrayEquals(filled(VALUE_BYTES_MAX, 4), ((KvResult.Value) log.machine.get("key-4")).value());
  }

  @Test
  void aRefusedTrackedWriteKeepsQuotaExceededAsItsResultEvenAfterSpaceIsFreed() {
    fillPastTheQuota();
    long client = log.register();
    KvCommand.Put write = new KvCommand.Put(RequestId.of(client, 1), "key-4", filled(VALUE_BYTES_MAX, 4));
    KvResult refused = new KvResult.QuotaExceeded(log.machine.stateBytes(), QUOTA_BYTES);
    assertEquals(refused, log.apply(write));
    log.apply(KvTestSupport.delete("key-0"));
    log.apply(KvTestSupport.delete("key-1"));
    assertEquals(refused, log.apply(write), "a retry gets the kept answer and is not applied");
    assertEquals(KvResult.NOT_FOUND, log.machine.get("key-4"));
    assertEquals(
        KvResult.OK, log.apply(new KvCommand.Put(RequestId.of(client, 2), "key-4", filled(VALUE_BYTES_MAX, 4))));
  }

  @Test
  void restoreCountsTheStateAgainAndAnswersAsTheOriginal() {
    fillPastTheQuota();
    long client = log.register();
    KvCommand.Put refusedWrite = new KvCommand.Put(RequestId.of(client, 1), "key-9", bytes("more"));
    KvResult refused = log.apply(refusedWrite);
    assertTrue(refused instanceof KvResult.QuotaExceeded, refused.toString());
    byte[] snapshot = log.machine.snapshot();

    KvTestSupport.Log restored =
        new KvTestSupport.Log(new KvStateMachine(LIMITS, KvTestSupport.ROOMY_SESSIONS, QUOTA_BYTES));
    restored.apply(put("before", filled(100, 1))); // replaced by the restore
    restored.machine.restore(snapshot);
    restored.nextIndex = log.nextIndex;
    assertEquals(log.machine.stateBytes(), restored.machine.stateBytes());
    assertTrue(restored.machine.quotaAlarm());
    assertEquals(contents(log.machine), contents(restored.machine));
    assertArrayEquals(snapshot, restored.machine.snapshot(), "the kept QuotaExceeded round-trips");

    // the same answers from here on, the retry of the refused write included
    for (KvCommand command : new KvCommand[] {refusedWrite, put("key-4", new byte[1]),
        KvTestSupport.delete("key-3"), put("key-4", new byte[1]), put("key-5", filled(VALUE_BYTES_MAX, 5))}) {
      assertEquals(log.apply(command), restored.apply(command), command.toString());
      assertEquals(log.machine.stateBytes(), restored.machine.stateBytes(), command.toString());
    }
  }

  /**
   * 1 MiB of quota filled with values at a 64 KiB limit: 16 keys of 8 bytes (1,048,704 bytes, just
   * over) are accepted, the 17th is refused; the count is exact at this size too.
   */
  @Test
  void aMebibyteQuotaFilledWithValuesAtTheLimit() {
    int valueBytesMax = 64 * 1024;
    KvTestSupport.Log big =
        new KvTestSupport.Log(new KvStateMachine(new KvLimits(64, valueBytesMax, 100), KvTestSupport.ROOMY_SESSIONS, 1024 * 1024));
    int accepted = 0;
    KvResult last = KvResult.OK;
    while (last == KvResult.OK && accepted < 100) {
      last = big.apply(put(String.format("key-%04d", accepted), filled(valueBytesMax, accepted)));
      if (last == KvResult.OK) accepted++;
    }
    assertEquals(16, accepted);
    assertEquals(new KvResult.QuotaExceeded(16L * (8 + valueBytesMax), 1024 * 1024), last);
    assertEquals(16, big.machine.size());
  }
}
