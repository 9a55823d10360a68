package io.raftkv.raft;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.snapshot.SnapshotRef;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("§7 when to snapshot: bytes of log against the last snapshot's size, clamped")
class SnapshotKeeperTest {
  private static final long MIN = 1_000;
  private static final long MAX = 10_000;
  private static final int ENTRIES_MAX = 1_000_000;

  private static SnapshotKeeper keeper(SnapshotRef recovered) {
    RaftSettings settings = RaftSettings.defaults(1, List.of(1, 2, 3)).withSnapshots(ENTRIES_MAX, 4096).withSnapshotLogBytes(MIN, MAX);
    return new SnapshotKeeper(TestSnapshotStores.fresh(), settings, recovered);
  }

  /** Applies entries of {@code commandBytes} until the keeper says a snapshot is due; returns the log bytes that took. */
  private static long logBytesUntilDue(SnapshotKeeper k, int commandBytes) {
    long bytes = 0;
    for (int entries = 1; entries < 1_000_000; entries++) {
      k.applied(commandBytes);
      bytes += commandBytes + SnapshotKeeper.ENTRY_OVERHEAD_BYTES;
      if (k.due(entries)) return bytes;
    }
    throw new AssertionError("never due");
  }

  @Test
  @DisplayName("without a snapshot yet: after snapshot-log-bytes-min of log")
  void firstSnapshotAfterTheMinimum() {
    long bytes = logBytesUntilDue(keeper(null), 36);
    assertTrue(bytes >= MIN && bytes < MIN + 100, "due after " + bytes + " bytes");
  }

  @Test
  @DisplayName("after a snapshot of S bytes: after S bytes of log, so each logged byte costs at most 2 snapshot bytes")
  void afterAsMuchLogAsTheLastSnapshot() {
    long bytes = logBytesUntilDue(keeper(new SnapshotRef(10, 1, "snapshot-10-1.snap", 5_000, 0)), 36);
    assertTrue(bytes >= 5_000 && bytes < 5_100, "due after " + bytes + " bytes");
  }

  @Test
  @DisplayName("a snapshot larger than snapshot-log-bytes-max: after that many bytes, which bounds the log in memory")
  void neverMoreLogThanTheMaximum() {
    long bytes = logBytesUntilDue(keeper(new SnapshotRef(10, 1, "snapshot-10-1.snap", 1_000_000, 0)), 36);
    assertTrue(bytes >= MAX && bytes < MAX + 100, "due after " + bytes + " bytes");
  }

  @Test
  @DisplayName("more than snapshot-entries-max entries: due whatever their bytes")
  void byEntries() {
    SnapshotKeeper k = keeper(new SnapshotRef(10, 1, "snapshot-10-1.snap", 1_000_000, 0));
    assertFalse(k.due(ENTRIES_MAX));
    assertTrue(k.due(ENTRIES_MAX + 1));
  }
}
