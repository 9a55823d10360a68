package io.raftkv.persistence.raftlog;

import io.raftkv.persistence.serialization.RaftkvSerializable;
import java.util.List;

/**
 * How a {@link RaftLogState} is stored in Pekko's snapshot store, so that recovery reads one
 * snapshot and the events after it instead of the whole history. Not a Raft snapshot: that is
 * {@code snapshotData}, carried inside.
 */
record RaftLogSnapshot(
    long currentTerm, int votedFor, long snapshotIndex, long snapshotTerm, byte[] snapshotData, List<LogEntry> entries)
    implements RaftkvSerializable {

  static RaftLogSnapshot of(RaftLogState s) {
    return new RaftLogSnapshot(s.currentTerm(), s.votedFor(), s.snapshotIndex(), s.snapshotTerm(), s.snapshotData(), s.entries());
  }

  RaftLogState toState() {
    return RaftLogState.of(currentTerm, votedFor, snapshotIndex, snapshotTerm, snapshotData, entries);
  }
}
