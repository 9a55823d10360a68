package io.raftkv.raft;

import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.raft.rules.MemoryLog;

/**
 * Hooks called by a node as things happen: what the simulator checks invariants with, and what
 * metrics and flight-recorder events will hang on. Called on the node's actor thread; an
 * implementation must not block and must not keep the {@link MemoryLog} it is shown.
 */
public interface RaftObserver {
  RaftObserver NONE = new RaftObserver() {};

  default void roleChanged(int nodeId, long term, RaftNode.Role role) {}

  /** A node became leader of {@code term}; {@code log} is its log at that moment (read only). */
  default void becameLeader(int nodeId, long term, MemoryLog log) {}

  default void committed(int nodeId, long commitIndex) {}

  /** The state machine applied {@code entry} (no-op entries included, so indexes are contiguous). */
  default void applied(int nodeId, LogEntry entry) {}

  /** The state machine was replaced by the snapshot through {@code index}. */
  default void snapshotRestored(int nodeId, long index, long term) {}

  /** The node's own snapshot through {@code index}, {@code bytes} long, was written to its file in {@code writeNanos}. */
  default void snapshotWritten(int nodeId, long index, long bytes, long writeNanos) {}

  /** The node installed a leader's snapshot through {@code index} (after {@link #snapshotRestored} for it). */
  default void snapshotInstalled(int nodeId, long index, long term) {}

  /** Batch {@code batch} of {@code events} events went to the durable log. */
  default void persistStarted(int nodeId, long batch, int events) {}

  /** The durable log acknowledged batch {@code batch}: it is durable. */
  default void persistDone(int nodeId, long batch) {}
}
