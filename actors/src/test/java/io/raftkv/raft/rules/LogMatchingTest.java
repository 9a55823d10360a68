package io.raftkv.raft.rules;

import static io.raftkv.raft.rules.Logs.entries;
import static io.raftkv.raft.rules.Logs.entry;
import static io.raftkv.raft.rules.Logs.log;
import static io.raftkv.raft.rules.Logs.logAfterSnapshot;
import static io.raftkv.raft.rules.Logs.termList;
import static io.raftkv.raft.rules.Logs.terms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.raft.rules.AppendRules.Accepted;
import io.raftkv.raft.rules.AppendRules.Rejected;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §5.3 the AppendEntries consistency check and Figure 2's receiver rules: reply false if the log
 * holds no entry at prevLogIndex with prevLogTerm; if an existing entry conflicts with a new one,
 * delete it and all that follow; append any new entries not already in the log. Together they
 * give the Log Matching Property. (etcd-io/raft: TestFollowerCheckMsgApp, TestFollowerAppendEntries.)
 */
@DisplayName("§5.3 log matching: the AppendEntries consistency check")
class LogMatchingTest {
  private static final long NO_COMMIT = 0;

  @Test
  @DisplayName("§5.3 rejects when prevLogIndex is beyond the log: hint conflictTerm 0, resume at last + 1")
  void rejectBeyondLog() {
    MemoryLog follower = log(1, 1, 2);
    var outcome = AppendRules.apply(follower, NO_COMMIT, 6, 2, entries(7, 2));
    assertEquals(new Rejected(4, 0), outcome);
    assertEquals(termList(1, 1, 2), terms(follower), "a rejection leaves the log as it was");
  }

  @Test
  @DisplayName("§5.3 rejects on a term mismatch at prevLogIndex: hint the conflicting term and its first index")
  void rejectTermMismatch() {
    // The follower holds term 2 at indexes 3..5 from a leader that lost them; the new leader has
    // term 3 at index 5. Pointing at the start of term 2 lets the leader skip the whole term.
    MemoryLog follower = log(1, 1, 2, 2, 2);
    assertEquals(new Rejected(3, 2), AppendRules.apply(follower, NO_COMMIT, 5, 3, entries(6, 3)));
    assertEquals(new Rejected(3, 2), AppendRules.apply(follower, NO_COMMIT, 4, 3, List.of()));
    assertEquals(new Rejected(1, 1), AppendRules.apply(follower, NO_COMMIT, 2, 3, List.of()));
    assertEquals(termList(1, 1, 2, 2, 2), terms(follower));
  }

  @Test
  @DisplayName("§5.3 the conflict hint never points into the snapshot")
  void rejectHintStopsAtSnapshot() {
    // Term 2 goes on below the snapshot (index 3 is term 2), but those entries are compacted:
    // the first index this follower can still describe is 4.
    MemoryLog follower = logAfterSnapshot(3, 2, 2, 2);
    assertEquals(new Rejected(4, 2), AppendRules.apply(follower, NO_COMMIT, 5, 3, List.of()));
  }

  @Test
  @DisplayName("§5.3 accepts when prevLogIndex/prevLogTerm match, and appends the new entries")
  void acceptAndAppend() {
    MemoryLog follower = log(1, 1);
    List<LogEntry> sent = entries(3, 1, 2);
    assertEquals(new Accepted(0, sent, 4), AppendRules.apply(follower, NO_COMMIT, 2, 1, sent));
    assertEquals(termList(1, 1, 1, 2), terms(follower));
    assertEquals(sent.get(1), follower.entry(4));
  }

  @Test
  @DisplayName("§5.3 an empty log accepts the first entries (prevLogIndex 0, prevLogTerm 0)")
  void acceptIntoEmptyLog() {
    MemoryLog follower = new MemoryLog();
    assertEquals(new Accepted(0, entries(1, 1, 1), 2), AppendRules.apply(follower, NO_COMMIT, 0, 0, entries(1, 1, 1)));
    assertEquals(termList(1, 1), terms(follower));
  }

  @Test
  @DisplayName("§5.3 a heartbeat confirms only prevLogIndex, not the follower's entries after it")
  void heartbeatMatchIndexIsPrevLogIndex() {
    // Entries 2..3 may still be replaced by this leader; acknowledging them would let the leader
    // count a replica it does not have (§5.3: only what matches the leader counts).
    MemoryLog follower = log(1, 1, 1);
    assertEquals(new Accepted(0, List.of(), 1), AppendRules.apply(follower, NO_COMMIT, 1, 1, List.of()));
    assertEquals(termList(1, 1, 1), terms(follower), "a heartbeat truncates nothing");
  }

  @Test
  @DisplayName("§5.3 a duplicated AppendEntries is idempotent: nothing appended twice, same matchIndex")
  void duplicateIsIdempotent() {
    MemoryLog follower = log(1, 1);
    List<LogEntry> sent = entries(1, 1, 1, 1);
    Accepted first = (Accepted) AppendRules.apply(follower, NO_COMMIT, 0, 0, sent);
    assertEquals(List.of(entry(3, 1)), first.appended());
    Accepted again = (Accepted) AppendRules.apply(follower, NO_COMMIT, 0, 0, sent);
    assertEquals(new Accepted(0, List.of(), 3), again);
    assertEquals(termList(1, 1, 1), terms(follower));
  }

  @Test
  @DisplayName("§5.3 an old AppendEntries does not truncate the matching entries after it")
  void oldAppendDoesNotTruncate() {
    // Delivered late, after the follower already took entries 3..5 from the same leader.
    // Truncating them would lose entries the leader may already count as replicated here.
    MemoryLog follower = log(1, 1, 1, 1, 1);
    assertEquals(new Accepted(0, List.of(), 2), AppendRules.apply(follower, NO_COMMIT, 1, 1, entries(2, 1)));
    assertEquals(termList(1, 1, 1, 1, 1), terms(follower));
  }

  @Test
  @DisplayName("§5.3 a conflicting suffix is deleted and the leader's entries appended")
  void truncateConflictingSuffix() {
    // Figure 7 style: the follower kept two entries of term 2 that the term-3 leader never had.
    MemoryLog follower = log(1, 1, 2, 2);
    List<LogEntry> sent = entries(3, 3, 3, 3);
    assertEquals(new Accepted(3, sent, 5), AppendRules.apply(follower, 2, 2, 1, sent));
    assertEquals(termList(1, 1, 3, 3, 3), terms(follower));
  }

  @Test
  @DisplayName("§5.3 the conflict is found after the matching entries of the request, and only from there on is deleted")
  void truncateAfterMatchingPrefixOfRequest() {
    MemoryLog follower = log(1, 1, 2, 2);
    // Entry 2 (term 1) is in both logs; entry 3 conflicts; entry 4 goes with it.
    assertEquals(new Accepted(3, entries(3, 3), 3), AppendRules.apply(follower, 2, 1, 1, entries(2, 1, 3)));
    assertEquals(termList(1, 1, 3), terms(follower));
  }

  @Test
  @DisplayName("§5.4 a conflict at a committed entry is refused as impossible and changes nothing (State Machine Safety)")
  void neverTruncateCommitted() {
    // Index 3 is committed here; a leader disagreeing with it breaks Leader Completeness, so the
    // request is refused rather than roll back an applied entry, and the log stays as it was.
    MemoryLog follower = log(1, 1, 2, 2);
    assertInstanceOf(AppendRules.Impossible.class, AppendRules.apply(follower, 3, 2, 1, entries(3, 3)));
    assertEquals(termList(1, 1, 2, 2), terms(follower), "nothing truncated");
    // Past the commit index the same conflict truncates, as §5.3 says.
    assertInstanceOf(Accepted.class, AppendRules.apply(follower, 2, 2, 1, entries(3, 3)));
    assertEquals(termList(1, 1, 3), terms(follower));
  }

  @Test
  @DisplayName("§7 prevLogIndex behind the snapshot: the compacted (committed) entries are skipped")
  void prevBehindSnapshotSkipsCompacted() {
    // The follower compacted through 5 (term 2). The leader, behind on this follower, sends from
    // index 4. Entries up to 5 are committed, so they match by Leader Completeness; the follower
    // cannot check prevLogTerm at 3 and must not need to.
    MemoryLog follower = logAfterSnapshot(5, 2, 2, 3);
    assertEquals(new Accepted(0, List.of(), 7), AppendRules.apply(follower, 5, 3, 1, entries(4, 2, 2, 2, 3)));
    assertEquals(termList(2, 3), terms(follower));

    assertEquals(new Accepted(0, entries(8, 3), 8), AppendRules.apply(follower, 5, 3, 1, entries(4, 2, 2, 2, 3, 3)));
    assertEquals(termList(2, 3, 3), terms(follower));
  }

  @Test
  @DisplayName("§7 a request wholly inside the snapshot is accepted and changes nothing")
  void requestInsideSnapshot() {
    MemoryLog follower = logAfterSnapshot(5, 2, 2);
    assertEquals(new Accepted(0, List.of(), 3), AppendRules.apply(follower, 5, 1, 1, entries(2, 1, 2)));
    assertEquals(6, follower.lastIndex());
    assertEquals(5, follower.snapshotIndex());
  }
}
