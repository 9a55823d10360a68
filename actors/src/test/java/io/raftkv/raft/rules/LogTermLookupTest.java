package io.raftkv.raft.rules;

import static io.raftkv.raft.rules.Logs.log;
import static io.raftkv.raft.rules.Logs.logAfterSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §5.3/§5.4 what a log can tell about its terms: the term at an index (the consistency check), the
 * last index of a term (the leader's use of a conflict hint) and the first index of the term at an
 * index (the follower's hint). Outside what the log holds it must say "don't know" (-1), never a
 * term it does not have: a wrong term there would make two different logs look matching.
 */
@DisplayName("§5.3/§5.4 log term lookups")
class LogTermLookupTest {

  @Test
  @DisplayName("§5.3 termAt inside the log, and at index 0 of an uncompacted log (term 0)")
  void termAtInside() {
    MemoryLog log = log(1, 1, 2, 3);
    assertEquals(0, log.termAt(0), "index 0 is the empty prefix every log shares (prevLogIndex 0, prevLogTerm 0)");
    assertEquals(1, log.termAt(2));
    assertEquals(3, log.termAt(4));
    assertTrue(log.matches(3, 2));
    assertFalse(log.matches(3, 1));
  }

  @Test
  @DisplayName("§5.3 termAt outside the log is -1")
  void termAtOutside() {
    MemoryLog log = log(1, 1, 2);
    assertEquals(-1, log.termAt(4));
    assertEquals(-1, log.termAt(100));
    assertEquals(-1, log.termAt(-1));
    assertEquals(-1, new MemoryLog().termAt(1));
  }

  @Test
  @DisplayName("§7 termAt of a compacted index is -1; at the snapshot boundary it is the snapshot's term")
  void termAtAroundSnapshot() {
    MemoryLog log = logAfterSnapshot(4, 2, 2, 3);
    assertEquals(-1, log.termAt(3));
    assertEquals(-1, log.termAt(0), "after compaction, index 0 is compacted too");
    assertEquals(2, log.termAt(4));
    assertEquals(3, log.termAt(6));
    assertTrue(log.matches(4, 2));
  }

  @Test
  @DisplayName("§5.3 lastIndex/lastTerm of an empty log, and of a log that is only a snapshot")
  void lastOfEmptyLogs() {
    MemoryLog empty = new MemoryLog();
    assertEquals(0, empty.lastIndex());
    assertEquals(0, empty.lastTerm());
    MemoryLog onlySnapshot = logAfterSnapshot(7, 3);
    assertEquals(7, onlySnapshot.lastIndex());
    assertEquals(3, onlySnapshot.lastTerm());
    assertEquals(0, onlySnapshot.size());
  }

  @Test
  @DisplayName("§5.3 lastIndexOfTerm: the leader's last entry of a term, -1 when it has none")
  void lastIndexOfTerm() {
    MemoryLog log = log(1, 1, 2, 2, 4);
    assertEquals(2, log.lastIndexOfTerm(1));
    assertEquals(4, log.lastIndexOfTerm(2));
    assertEquals(5, log.lastIndexOfTerm(4));
    assertEquals(-1, log.lastIndexOfTerm(3), "a term skipped by this log");
    assertEquals(-1, log.lastIndexOfTerm(5), "a term after its last");
    assertEquals(-1, new MemoryLog().lastIndexOfTerm(0), "index 0 is no entry of term 0");
  }

  @Test
  @DisplayName("§7 lastIndexOfTerm around the snapshot: the boundary counts, compacted terms are unknown")
  void lastIndexOfTermAroundSnapshot() {
    MemoryLog log = logAfterSnapshot(4, 2, 3, 3);
    assertEquals(4, log.lastIndexOfTerm(2), "term 2 ends at the snapshot boundary");
    assertEquals(6, log.lastIndexOfTerm(3));
    assertEquals(-1, log.lastIndexOfTerm(1), "compacted away: the log cannot say where term 1 ended");
    MemoryLog onlySnapshot = logAfterSnapshot(4, 2);
    assertEquals(4, onlySnapshot.lastIndexOfTerm(2));
  }

  @Test
  @DisplayName("§5.3 firstIndexOfTermAtOrBefore: the follower's conflict hint")
  void firstIndexOfTerm() {
    MemoryLog log = log(1, 1, 2, 2, 2, 3);
    assertEquals(3, log.firstIndexOfTermAtOrBefore(5));
    assertEquals(3, log.firstIndexOfTermAtOrBefore(3));
    assertEquals(6, log.firstIndexOfTermAtOrBefore(6));
    assertEquals(1, log.firstIndexOfTermAtOrBefore(2));
  }

  @Test
  @DisplayName("§7 firstIndexOfTermAtOrBefore stops at the first index after the snapshot")
  void firstIndexOfTermStopsAtSnapshot() {
    MemoryLog log = logAfterSnapshot(3, 2, 2, 2, 3);
    assertEquals(4, log.firstIndexOfTermAtOrBefore(5));
    assertEquals(6, log.firstIndexOfTermAtOrBefore(6));
  }

  @Test
  @DisplayName("entry() refuses indexes the log does not hold")
  void entryBounds() {
    MemoryLog log = logAfterSnapshot(2, 1, 1, 1);
    assertEquals(3, log.entry(3).index());
    assertThrows(IndexOutOfBoundsException.class, () -> log.entry(2));
    assertThrows(IndexOutOfBoundsException.class, () -> log.entry(5));
  }
}
