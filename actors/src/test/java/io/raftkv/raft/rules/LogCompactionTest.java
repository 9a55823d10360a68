package io.raftkv.raft.rules;

import static io.raftkv.raft.rules.Logs.entries;
import static io.raftkv.raft.rules.Logs.log;
import static io.raftkv.raft.rules.Logs.logAfterSnapshot;
import static io.raftkv.raft.rules.Logs.termList;
import static io.raftkv.raft.rules.Logs.terms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §7 log compaction. A node's own snapshot replaces a committed prefix of its log. A snapshot
 * from the leader (InstallSnapshot): "If the follower has an existing log entry with the same
 * index and term as the snapshot's last included entry, the entries following it are retained;
 * otherwise the follower discards its entire log."
 */
@DisplayName("§7 log compaction")
class LogCompactionTest {

  @Test
  @DisplayName("§7 compacting through a matching entry keeps the suffix after it")
  void keepsSuffixWhenMatching() {
    MemoryLog log = log(1, 1, 2, 2, 3);
    log.compactThrough(3, 2);
    assertEquals(3, log.snapshotIndex());
    assertEquals(2, log.snapshotTerm());
    assertEquals(termList(2, 3), terms(log));
    assertEquals(5, log.lastIndex());
    assertEquals(-1, log.termAt(2), "the compacted entries are gone");
    assertEquals(2, log.termAt(3));
  }

  @Test
  @DisplayName("§7 compacting through the last entry leaves only the snapshot")
  void compactEverything() {
    MemoryLog log = log(1, 1, 2);
    log.compactThrough(3, 2);
    assertEquals(0, log.size());
    assertEquals(3, log.lastIndex());
    assertEquals(2, log.lastTerm());
  }

  @Test
  @DisplayName("§7 a leader's snapshot that this log does not match discards the entire log")
  void dropsLogWhenNotMatching() {
    // The follower's index 3 is of term 2, the leader's snapshot says term 3: entries 4..5 follow
    // a different history and must not survive behind the snapshot.
    MemoryLog log = log(1, 1, 2, 2, 2);
    log.compactThrough(3, 3);
    assertEquals(0, log.size());
    assertEquals(3, log.lastIndex());
    assertEquals(3, log.lastTerm());
    assertEquals(3, log.termAt(3));
  }

  @Test
  @DisplayName("§7 a snapshot beyond the end of the log replaces it")
  void snapshotBeyondLog() {
    MemoryLog log = log(1, 1);
    log.compactThrough(6, 2);
    assertEquals(0, log.size());
    assertEquals(6, log.lastIndex());
    assertEquals(2, log.lastTerm());
  }

  @Test
  @DisplayName("§7 a snapshot at or before the current one changes nothing")
  void olderSnapshotIgnored() {
    // A delayed InstallSnapshot for an older point must not move the boundary back, and must not
    // wipe the log even if its term looks like a mismatch (the index is compacted already).
    MemoryLog log = logAfterSnapshot(3, 2, 2, 3);
    log.compactThrough(2, 1);
    log.compactThrough(3, 9);
    assertEquals(3, log.snapshotIndex());
    assertEquals(2, log.snapshotTerm());
    assertEquals(termList(2, 3), terms(log));
  }

  @Test
  @DisplayName("§7 after compaction the log continues at snapshotIndex + 1 and no term below the snapshot's")
  void appendAfterCompaction() {
    MemoryLog log = log(1, 1, 2);
    log.compactThrough(6, 3);
    log.append(entries(7, 3, 4));
    assertEquals(termList(3, 4), terms(log));
    MemoryLog other = logAfterSnapshot(6, 3);
    assertThrows(IllegalStateException.class, () -> other.append(entries(7, 2)));
    assertThrows(IllegalStateException.class, () -> other.append(entries(6, 3)));
  }

  @Test
  @DisplayName("§7 truncation never reaches into the snapshot")
  void truncationStopsAtSnapshot() {
    // The snapshot holds committed, applied entries: removing them would break State Machine Safety.
    MemoryLog log = logAfterSnapshot(3, 2, 2, 3);
    assertThrows(IllegalStateException.class, () -> log.truncateFrom(3));
    assertThrows(IllegalStateException.class, () -> log.truncateFrom(1));
    log.truncateFrom(4);
    assertEquals(3, log.lastIndex());
    assertEquals(2, log.lastTerm());
  }
}
