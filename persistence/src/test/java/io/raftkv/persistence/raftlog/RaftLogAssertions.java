package io.raftkv.persistence.raftlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Equality of recovered Raft log states (RaftLogState has no equals: its snapshot bytes are shared, not copied). */
final class RaftLogAssertions {
  private RaftLogAssertions() {}

  static void assertSameState(RaftLogState expected, RaftLogState actual) {
    assertEquals(expected.currentTerm(), actual.currentTerm(), "currentTerm");
    assertEquals(expected.votedFor(), actual.votedFor(), "votedFor");
    assertEquals(expected.snapshotIndex(), actual.snapshotIndex(), "snapshotIndex");
    assertEquals(expected.snapshotTerm(), actual.snapshotTerm(), "snapshotTerm");
    assertArrayEquals(expected.snapshotData(), actual.snapshotData(), "snapshotData");
    assertEquals(expected.snapshotFile(), actual.snapshotFile(), "snapshotFile");
    assertEquals(expected.entries(), actual.entries(), "entries");
  }
}
