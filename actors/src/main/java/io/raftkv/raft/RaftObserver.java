package io.raftkv.raft;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.raft.rules.MemoryLog;
import java.util.List;

/**
 * Hooks called by a node as things happen: what the simulator checks invariants with, what the
 * metrics count, and what the flight-recorder events are made of ({@link io.raftkv.raft.jfr.JfrRaftObserver}).
 * Instrumentation lives behind this interface, not in the protocol code. Called on the node's
 * actor thread; an implementation must not block and must not keep the {@link MemoryLog} or the
 * lists it is shown.
 */
public interface RaftObserver {
  RaftObserver NONE = new RaftObserver() {};

  /** How an election round ended. */
  enum ElectionOutcome {
    /** A majority granted its vote. */
    WON,
    /** The election timer ran out first. */
    LOST,
    /** A leader of the round's term, or a newer term, appeared. */
    STEPPED_DOWN
  }

  /** What a snapshot was made for. */
  enum SnapshotKind {
    /** The node's own state machine written to a file while apply went on. */
    TAKEN,
    /** The state machine restored from the log's snapshot at start. */
    RESTORED,
    /** A leader's snapshot, received in chunks, verified and restored. */
    INSTALLED
  }

  default void roleChanged(int nodeId, long term, RaftNode.Role role) {}

  /** A node became leader of {@code term}; {@code log} is its log at that moment (read only). */
  default void becameLeader(int nodeId, long term, MemoryLog log) {}

  /** An election round for {@code term} began; {@code transfer}: a leader asked for it (dissertation §3.10). */
  default void electionStarted(int nodeId, long term, boolean preVote, boolean transfer) {}

  /** The round begun last ended; {@code votes} of {@code voters} were granted. */
  default void electionEnded(int nodeId, long term, boolean preVote, ElectionOutcome outcome, int votes, int voters) {}

  /** A leader sent {@code entries} after {@code prevLogIndex} to {@code followerId}. */
  default void appendSent(int nodeId, int followerId, long term, long prevLogIndex, List<LogEntry> entries) {}

  /** The commit index rose from {@code previous} to {@code commitIndex}. */
  default void committed(int nodeId, long term, long previous, long commitIndex) {}

  /** The node is about to apply a run of committed entries. */
  default void applyStarted(int nodeId) {}

  /** The state machine applied {@code entry} (no-op entries included, so indexes are contiguous). */
  default void applied(int nodeId, LogEntry entry) {}

  /** The run begun by {@link #applyStarted} ended: {@code entries} entries through {@code lastIndex}, {@code bytes} of commands. */
  default void applyEnded(int nodeId, long firstIndex, long lastIndex, int entries, long bytes) {}

  /** A leader started ReadIndex round {@code round} (dissertation §6.4) at {@code readIndex} for {@code reads} reads. */
  default void readRoundStarted(int nodeId, long round, long readIndex, int reads) {}

  /** A majority confirmed round {@code round}: its reads may be served once applied through the read index. */
  default void readRoundConfirmed(int nodeId, long term, long round) {}

  /** A snapshot of {@code kind} began: pinned to be written, or about to be restored. */
  default void snapshotStarted(int nodeId, SnapshotKind kind) {}

  /** The snapshot of {@code kind} begun last ended: through {@code index} (of {@code term}), {@code bytes} long. */
  default void snapshotEnded(int nodeId, SnapshotKind kind, long index, long term, long bytes) {}

  /** The state machine was replaced by the snapshot through {@code index}. */
  default void snapshotRestored(int nodeId, long index, long term) {}

  /** The node's own snapshot through {@code index}, {@code bytes} long, was written to its file in {@code writeNanos}. */
  default void snapshotWritten(int nodeId, long index, long bytes, long writeNanos) {}

  /** The node installed a leader's snapshot through {@code index} (after {@link #snapshotRestored} for it). */
  default void snapshotInstalled(int nodeId, long index, long term) {}

  /**
   * The configuration in force changed (dissertation §4.1: on append, committed or not; back to an
   * earlier one on truncation; with a snapshot): now {@code configuration}, from index {@code index}.
   * Also called once when the node starts.
   */
  default void configurationChanged(int nodeId, long index, Configuration configuration) {}

  /**
   * This node learned that a committed configuration (from index {@code configurationIndex}) no
   * longer holds it: it was removed from the cluster. Called once.
   */
  default void removed(int nodeId, long configurationIndex) {}

  /**
   * Node {@code nodeId} ignored a message from {@code peerId} for {@code reason}: the sender is of
   * another cluster, or its data directory is not the one the configuration knows under its id.
   * Called for every such message: an observer that logs it should limit the rate.
   */
  default void peerRefused(int nodeId, int peerId, String reason) {}

  /**
   * Node {@code nodeId} refused a message claiming to come from {@code peerId} that no correct node
   * sends ({@code core.MessageCheck}, or a role that met an impossible one): {@code kind} is the
   * message's type (a bounded label), {@code reason} says what was wrong. Called for every such
   * message: an observer that logs it should limit the rate.
   */
  default void peerMessageInvalid(int nodeId, int peerId, String kind, String reason) {}

  /** Node {@code nodeId} saw a configuration with the cluster's id {@code clusterId} committed (once per process, or when a node restores it). */
  default void clusterIdCommitted(int nodeId, long clusterId) {}

  /** Node {@code nodeId}'s data directory was refused by a member ({@code refusal}): it takes no further part. */
  default void refused(int nodeId, RaftMessage.IncarnationRefused refusal) {}

  /** Batch {@code batch} of {@code events} events went to the durable log. */
  default void persistStarted(int nodeId, long batch, int events) {}

  /** The durable log acknowledged batch {@code batch}: it is durable. */
  default void persistDone(int nodeId, long batch) {}

  /** Both observers, {@code first} called first. */
  static RaftObserver both(RaftObserver first, RaftObserver second) {
    if (first == NONE) return second;
    if (second == NONE) return first;
    return new ObserverPair(first, second);
  }
}
