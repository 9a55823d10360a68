package io.raftkv.persistence.raftlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.raftlog.RaftLogEvent.EntriesAppended;
import io.raftkv.persistence.raftlog.RaftLogEvent.LogTruncated;
import io.raftkv.persistence.raftlog.RaftLogEvent.SnapshotTaken;
import io.raftkv.persistence.raftlog.RaftLogEvent.TermAdvanced;
import io.raftkv.persistence.raftlog.RaftLogEvent.VoteCast;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RaftLogState#apply}, the single place where the durable Raft state changes: no actor, no journal. */
class RaftLogStateTest {

  private static final byte[] SNAPSHOT_BYTES = {9, 8, 7};

  static LogEntry entry(long index, long term) {
    return new LogEntry(index, term, new TestWrite("k" + index, index * 10));
  }

  static LogEntry noop(long index, long term) {
    return new LogEntry(index, term, Noop.INSTANCE);
  }

  static RaftLogState applyAll(RaftLogState state, RaftLogEvent... events) {
    for (RaftLogEvent e : events) state = state.apply(e);
    return state;
  }

  /** Term 2, entries 1..5 (terms 1, 1, 2, 2, 2), no snapshot. */
  static RaftLogState fiveEntries() {
    return applyAll(
        RaftLogState.empty(),
        new TermAdvanced(2),
        new EntriesAppended(List.of(entry(1, 1), entry(2, 1))),
        new EntriesAppended(List.of(noop(3, 2), entry(4, 2), entry(5, 2))));
  }

  static List<Long> indexes(RaftLogState s) {
    List<Long> out = new ArrayList<>();
    for (LogEntry e : s.entries()) out.add(e.index());
    return out;
  }

  @Test
  void emptyState() {
    RaftLogState s = RaftLogState.empty();
    assertEquals(0, s.currentTerm());
    assertEquals(RaftLogState.NO_VOTE, s.votedFor());
    assertEquals(0, s.snapshotIndex());
    assertEquals(0, s.snapshotTerm());
    assertEquals(0, s.snapshotData().length);
    assertEquals(0, s.lastIndex());
    assertEquals(0, s.termAt(0), "index 0 is the empty snapshot's, of term 0");
    assertEquals(-1, s.termAt(1));
    assertTrue(s.entries().isEmpty());
  }

  // ---- terms ----

  @Test
  void termAdvanceClearsTheVoteAndKeepsTheLog() {
    RaftLogState voted = applyAll(fiveEntries(), new VoteCast(2, 3));
    assertEquals(3, voted.votedFor());
    RaftLogState next = voted.apply(new TermAdvanced(5));
    assertEquals(5, next.currentTerm());
    assertEquals(RaftLogState.NO_VOTE, next.votedFor());
    assertEquals(voted.entries(), next.entries());
    assertEquals(2, voted.currentTerm(), "the older version is unchanged");
    assertEquals(3, voted.votedFor());
  }

  @Test
  void termMustGrow() {
    RaftLogState s = RaftLogState.empty().apply(new TermAdvanced(3));
    assertThrows(IllegalStateException.class, () -> s.apply(new TermAdvanced(3)));
    assertThrows(IllegalStateException.class, () -> s.apply(new TermAdvanced(2)));
    assertThrows(IllegalStateException.class, () -> RaftLogState.empty().apply(new TermAdvanced(0)));
  }

  // ---- votes ----

  private final RaftLogState term4 = RaftLogState.empty().apply(new TermAdvanced(4));

  @Test
  void voteInTheCurrentTermIsRecorded() {
    RaftLogState s = term4.apply(new VoteCast(4, 2));
    assertEquals(2, s.votedFor());
    assertEquals(4, s.currentTerm());
  }

  @Test
  void theSameVoteAgainIsAccepted() {
    RaftLogState s = term4.apply(new VoteCast(4, 2));
    assertEquals(2, s.apply(new VoteCast(4, 2)).votedFor());
  }

  @Test
  void aSecondVoteInOneTermIsRefused() {
    RaftLogState s = term4.apply(new VoteCast(4, 2));
    assertThrows(IllegalStateException.class, () -> s.apply(new VoteCast(4, 3)));
  }

  @Test
  void aVoteForAnotherTermIsRefused() {
    assertThrows(IllegalStateException.class, () -> term4.apply(new VoteCast(3, 2)));
    assertThrows(IllegalStateException.class, () -> term4.apply(new VoteCast(5, 2)));
  }

  @Test
  void aNewTermAllowsANewVote() {
    RaftLogState s = applyAll(term4, new VoteCast(4, 2), new TermAdvanced(5), new VoteCast(5, 3));
    assertEquals(3, s.votedFor());
  }

  // ---- appends ----

  @Test
  void appendsAreContiguous() {
    RaftLogState s = fiveEntries();
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), indexes(s));
    assertEquals(5, s.lastIndex());
    assertEquals(5, s.entryCount());
    assertEquals(noop(3, 2), s.entry(3));
    assertEquals(1, s.termAt(2));
    assertEquals(2, s.termAt(5));
    assertEquals(-1, s.termAt(6));
  }

  @Test
  void anEmptyAppendChangesNothing() {
    RaftLogState s = fiveEntries();
    assertSame(s, s.apply(new EntriesAppended(List.of())));
  }

  @Test
  void anAppendWithAGapIsRefused() {
    RaftLogState s = fiveEntries();
    assertThrows(IllegalStateException.class, () -> s.apply(new EntriesAppended(List.of(entry(7, 2)))));
  }

  @Test
  void anAppendOverlappingTheLogIsRefused() {
    RaftLogState s = fiveEntries();
    assertThrows(IllegalStateException.class, () -> s.apply(new EntriesAppended(List.of(entry(5, 2)))));
    assertThrows(IllegalStateException.class, () -> s.apply(new EntriesAppended(List.of(entry(1, 2)))));
  }

  @Test
  void aBatchWithAHoleInsideIsRefused() {
    RaftLogState s = fiveEntries();
    assertThrows(
        IllegalStateException.class,
        () -> s.apply(new EntriesAppended(List.of(entry(6, 2), entry(8, 2)))),
        "entries are contiguous, not only the first of a batch");
    assertThrows(
        IllegalStateException.class,
        () -> s.apply(new EntriesAppended(List.of(entry(6, 2), entry(6, 2)))));
  }

  @Test
  void termsNeverDecreaseAlongTheLog() {
    RaftLogState s = fiveEntries();
    assertThrows(IllegalStateException.class, () -> s.apply(new EntriesAppended(List.of(entry(6, 1)))));
    assertThrows(
        IllegalStateException.class,
        () -> s.apply(new EntriesAppended(List.of(entry(6, 3), entry(7, 2)))));
    assertEquals(7, s.apply(new EntriesAppended(List.of(entry(6, 2), entry(7, 3)))).lastIndex());
  }

  @Test
  void versionsAreImmutableWhenTheyBranch() {
    // EntryList shares one backing array between versions: branching must never show through.
    RaftLogState base = fiveEntries();
    RaftLogState a = base.apply(new EntriesAppended(List.of(entry(6, 2))));
    RaftLogState b = base.apply(new EntriesAppended(List.of(entry(6, 3), entry(7, 3))));
    RaftLogState truncated = base.apply(new LogTruncated(4));
    RaftLogState c = truncated.apply(new EntriesAppended(List.of(entry(4, 4))));
    RaftLogState a2 = a.apply(new EntriesAppended(List.of(entry(7, 2))));

    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), indexes(base));
    assertEquals(2, base.termAt(4));
    assertEquals(List.of(entry(1, 1), entry(2, 1), noop(3, 2), entry(4, 2), entry(5, 2), entry(6, 2)), a.entries());
    assertEquals(3, b.termAt(6));
    assertEquals(3, b.termAt(7));
    assertEquals(List.of(1L, 2L, 3L), indexes(truncated));
    assertEquals(4, c.termAt(4));
    assertEquals(List.of(1L, 2L, 3L, 4L), indexes(c));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), indexes(a2));
    assertEquals(2, a2.termAt(7));
  }

  // ---- truncation ----

  @Test
  void truncationRemovesTheSuffix() {
    RaftLogState s = fiveEntries().apply(new LogTruncated(3));
    assertEquals(List.of(1L, 2L), indexes(s));
    assertEquals(2, s.lastIndex());
    assertEquals(2, s.currentTerm(), "truncation leaves term and vote alone");
    RaftLogState again = s.apply(new EntriesAppended(List.of(entry(3, 2))));
    assertEquals(3, again.lastIndex());
  }

  @Test
  void truncationOfTheWholeLog() {
    RaftLogState s = fiveEntries().apply(new LogTruncated(1));
    assertEquals(0, s.lastIndex());
    assertTrue(s.entries().isEmpty());
  }

  @Test
  void truncationBeyondTheEndChangesNothing() {
    RaftLogState s = fiveEntries();
    assertSame(s, s.apply(new LogTruncated(6)));
    assertSame(s, s.apply(new LogTruncated(100)));
  }

  @Test
  void truncationInsideTheSnapshotIsRefused() {
    RaftLogState s = fiveEntries().apply(new SnapshotTaken(3, 2, SNAPSHOT_BYTES));
    assertThrows(IllegalStateException.class, () -> s.apply(new LogTruncated(3)));
    assertThrows(IllegalStateException.class, () -> s.apply(new LogTruncated(1)));
    assertEquals(3, s.apply(new LogTruncated(4)).lastIndex());
  }

  // ---- snapshots ----

  @Test
  void aMatchingSnapshotKeepsTheSuffix() {
    RaftLogState s = fiveEntries().apply(new SnapshotTaken(3, 2, SNAPSHOT_BYTES));
    assertEquals(3, s.snapshotIndex());
    assertEquals(2, s.snapshotTerm());
    assertArrayEquals(SNAPSHOT_BYTES, s.snapshotData());
    assertEquals(List.of(4L, 5L), indexes(s));
    assertEquals(5, s.lastIndex());
    assertEquals(2, s.termAt(3), "the snapshot's own index has the snapshot's term");
    assertEquals(-1, s.termAt(2), "compacted");
    assertEquals(entry(4, 2), s.entry(4));
    assertEquals(6, s.apply(new EntriesAppended(List.of(entry(6, 2)))).lastIndex());
    assertThrows(IllegalStateException.class, () -> s.apply(new EntriesAppended(List.of(entry(3, 2)))));
  }

  @Test
  void aMatchingSnapshotOfTheLastEntryLeavesNoEntries() {
    RaftLogState s = fiveEntries().apply(new SnapshotTaken(5, 2, SNAPSHOT_BYTES));
    assertEquals(5, s.lastIndex());
    assertEquals(0, s.entryCount());
    assertEquals(2, s.termAt(5));
  }

  @Test
  void aSnapshotWithAnotherTermDropsTheLog() {
    RaftLogState s = fiveEntries().apply(new SnapshotTaken(4, 3, SNAPSHOT_BYTES));
    assertEquals(4, s.snapshotIndex());
    assertEquals(3, s.snapshotTerm());
    assertEquals(0, s.entryCount(), "entry 5 followed a conflicting entry 4: it goes too");
    assertEquals(4, s.lastIndex());
    assertThrows(
        IllegalStateException.class,
        () -> s.apply(new EntriesAppended(List.of(entry(5, 2)))),
        "an entry after the snapshot has a term >= the snapshot's");
    assertEquals(5, s.apply(new EntriesAppended(List.of(entry(5, 3)))).lastIndex());
  }

  @Test
  void aSnapshotBeyondTheLogDropsTheLog() {
    RaftLogState s = fiveEntries().apply(new SnapshotTaken(9, 4, SNAPSHOT_BYTES));
    assertEquals(9, s.snapshotIndex());
    assertEquals(9, s.lastIndex());
    assertEquals(0, s.entryCount());
    assertEquals(10, s.apply(new EntriesAppended(List.of(entry(10, 4)))).lastIndex());
  }

  @Test
  void anOlderSnapshotChangesNothing() {
    RaftLogState s = fiveEntries().apply(new SnapshotTaken(3, 2, SNAPSHOT_BYTES));
    assertSame(s, s.apply(new SnapshotTaken(3, 2, new byte[] {1})));
    assertSame(s, s.apply(new SnapshotTaken(2, 1, new byte[] {1})));
  }

  @Test
  void aLaterSnapshotReplacesTheData() {
    RaftLogState s =
        applyAll(fiveEntries(), new SnapshotTaken(2, 1, new byte[] {1}), new SnapshotTaken(4, 2, new byte[] {2}));
    assertArrayEquals(new byte[] {2}, s.snapshotData());
    assertEquals(List.of(5L), indexes(s));
  }

  @Test
  void theStateSurvivesItsPekkoSnapshotForm() {
    RaftLogState s = applyAll(fiveEntries(), new VoteCast(2, 1), new SnapshotTaken(3, 2, SNAPSHOT_BYTES));
    RaftLogState copy = RaftLogSnapshot.of(s).toState();
    assertEquals(s.currentTerm(), copy.currentTerm());
    assertEquals(s.votedFor(), copy.votedFor());
    assertEquals(s.snapshotIndex(), copy.snapshotIndex());
    assertEquals(s.snapshotTerm(), copy.snapshotTerm());
    assertArrayEquals(s.snapshotData(), copy.snapshotData());
    assertEquals(s.entries(), copy.entries());
    assertEquals(6, copy.apply(new EntriesAppended(List.of(entry(6, 2)))).lastIndex());
  }

  @Test
  void aSnapshotsConfigurationFollowsItsCheckpointAndTheNextCheckpointClearsIt() {
    Configuration c = Configuration.bootstrap(List.of(1, 2, 3)).with(new Member(4, "127.0.0.1", 25524, 8084, 99, false, true));
    io.raftkv.persistence.snapshot.SnapshotRef file = new io.raftkv.persistence.snapshot.SnapshotRef(3, 2, "snapshot-3", 10, 1);
    RaftLogState s = applyAll(fiveEntries(), new RaftLogEvent.Checkpoint(2, RaftLogState.NO_VOTE, file),
        new RaftLogEvent.SnapshotConfiguration(3, c));
    assertEquals(c, s.snapshotConfiguration());
    assertThrows(IllegalStateException.class, () -> s.apply(new RaftLogEvent.SnapshotConfiguration(2, c)), "not the snapshot's index");
    io.raftkv.persistence.snapshot.SnapshotRef next = new io.raftkv.persistence.snapshot.SnapshotRef(5, 2, "snapshot-5", 10, 1);
    assertEquals(null, s.apply(new RaftLogEvent.Checkpoint(2, RaftLogState.NO_VOTE, next)).snapshotConfiguration(),
        "a checkpoint starts a new snapshot; its configuration follows it");
  }
}
