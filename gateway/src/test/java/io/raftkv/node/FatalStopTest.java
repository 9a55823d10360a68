package io.raftkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which part stopped decides the exit code; the reason keeps each cause's message once; the file round-trips. */
class FatalStopTest {
  @TempDir Path dir;

  @Test
  void theDurableLogIsExitThreeAndAnyOtherPartExitFour() {
    assertEquals(FatalStop.LOG_FAILED, FatalStop.of(RaftkvNode.RAFT_LOG, null).exitCode());
    assertEquals("the durable log (/user/raft-log) failed (it stopped without an error)", FatalStop.of(RaftkvNode.RAFT_LOG, null).reason());
    FatalStop raft = FatalStop.of("raft", new IllegalStateException("boom"));
    assertEquals(new FatalStop(FatalStop.NODE_FAILED, "the Raft node (/user/raft) failed: IllegalStateException: boom"), raft);
  }

  @Test
  void wrappersThatRepeatTheirCauseAreSaidOnce() {
    Exception root = new Exception("CURRENT file corrupted");
    Exception open = new IllegalStateException("cannot open the RocksDB database in d: " + root.getMessage(), root);
    Exception pekko = new RuntimeException("Exception during recovery, due to: " + open.getMessage(), open);
    assertEquals("RuntimeException: Exception during recovery, due to: cannot open the RocksDB database in d: CURRENT file corrupted",
        FatalStop.describe(pekko));
    assertEquals("RuntimeException: outer; caused by Exception: inner",
        FatalStop.describe(new RuntimeException("outer", new Exception("inner"))));
  }

  @Test
  void theFileSaysWhoHowWhenAndWhyUntilCleared() throws Exception {
    assertEquals(Optional.empty(), FatalStop.read(dir));
    FatalStop stop = FatalStop.of(RaftkvNode.RAFT_LOG, new RuntimeException("disk\ngone"));
    stop.write(dir, 2, Instant.parse("2025-01-02T03:04:05Z"));
    assertEquals(Optional.of("node 2 stopped itself (exit 3) at 2025-01-02T03:04:05Z: the durable log (/user/raft-log) failed: "
        + "RuntimeException: disk gone"), FatalStop.read(dir));
    FatalStop.clear(dir);
    assertFalse(Files.exists(FatalStop.file(dir)));
    FatalStop.clear(dir); // nothing to clear: fine
  }
}
