package io.raftkv.persistence.raftlog;

import io.raftkv.persistence.serialization.RaftkvSerializable;
import io.raftkv.persistence.snapshot.SnapshotRef;
import java.util.Arrays;
import java.util.List;

/**
 * What the Raft log persists. The persisted format is versioned by the serializer's leading format
 * byte (see {@code KryoCodec}); these records are that format's version 1 and must not change
 * shape: add a new record instead.
 */
public sealed interface RaftLogEvent extends RaftkvSerializable {

  /** The node moved to {@code term}; any vote of an earlier term no longer counts. */
  record TermAdvanced(long term) implements RaftLogEvent {}

  /** The node voted for {@code candidateId} in {@code term} (at most one vote per term). */
  record VoteCast(long term, int candidateId) implements RaftLogEvent {}

  /** A contiguous batch appended after the current last entry. */
  record EntriesAppended(List<LogEntry> entries) implements RaftLogEvent {
    public EntriesAppended {
      entries = List.copyOf(entries);
    }
  }

  /** Entries at {@code fromIndex} and after were removed: they conflicted with the leader's log. */
  record LogTruncated(long fromIndex) implements RaftLogEvent {}

  /**
   * The state machine's state through {@code lastIncludedIndex}. Entries up to that index are
   * dropped; if the log does not hold that entry with that term, the whole log is dropped (the
   * snapshot came from the leader and replaces it).
   */
  record SnapshotTaken(long lastIncludedIndex, long lastIncludedTerm, byte[] data) implements RaftLogEvent {
    @Override
    public boolean equals(Object o) {
      return o instanceof SnapshotTaken s
          && s.lastIncludedIndex == lastIncludedIndex
          && s.lastIncludedTerm == lastIncludedTerm
          && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(lastIncludedIndex) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "SnapshotTaken[" + lastIncludedIndex + "@" + lastIncludedTerm + ", " + data.length + " bytes]";
    }
  }

  /**
   * The whole durable state from here on: {@code currentTerm}, {@code votedFor}, the Raft snapshot
   * (a file in the node's data directory; the event holds only its reference) and no entries; the
   * entries after the snapshot follow as {@link EntriesAppended} events in the same batch. Once it
   * is durable every event before it is deleted from the journal, so recovery replays from the
   * last checkpoint and the journal holds about one snapshot interval of log.
   */
  record Checkpoint(long currentTerm, int votedFor, SnapshotRef file) implements RaftLogEvent {}

  /**
   * The cluster's configuration as of the snapshot's index ({@code index}), recorded right after
   * the {@link Checkpoint} of that snapshot in the same batch: the log keeps only the configuration
   * entries after the snapshot, and this is the one in force before them.
   */
  record SnapshotConfiguration(long index, Configuration configuration) implements RaftLogEvent {}
}
