package io.raftkv.raft;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.raft.rules.MemoryLog;
import java.util.List;

/** Two observers called in turn ({@link RaftObserver#both}). */
record ObserverPair(RaftObserver first, RaftObserver second) implements RaftObserver {
  @Override public void roleChanged(int nodeId, long term, RaftNode.Role role) {
    first.roleChanged(nodeId, term, role);
    second.roleChanged(nodeId, term, role);
  }

  @Override public void becameLeader(int nodeId, long term, MemoryLog log) {
    first.becameLeader(nodeId, term, log);
    second.becameLeader(nodeId, term, log);
  }

  @Override public void electionStarted(int nodeId, long term, boolean preVote, boolean transfer) {
    first.electionStarted(nodeId, term, preVote, transfer);
    second.electionStarted(nodeId, term, preVote, transfer);
  }

  @Override public void electionEnded(int nodeId, long term, boolean preVote, ElectionOutcome outcome, int votes, int voters) {
    first.electionEnded(nodeId, term, preVote, outcome, votes, voters);
    second.electionEnded(nodeId, term, preVote, outcome, votes, voters);
  }

  @Override public void appendSent(int nodeId, int followerId, long term, long prevLogIndex, List<LogEntry> entries) {
    first.appendSent(nodeId, followerId, term, prevLogIndex, entries);
    second.appendSent(nodeId, followerId, term, prevLogIndex, entries);
  }

  @Override public void committed(int nodeId, long term, long previous, long commitIndex) {
    first.committed(nodeId, term, previous, commitIndex);
    second.committed(nodeId, term, previous, commitIndex);
  }

  @Override public void applyStarted(int nodeId) {
    first.applyStarted(nodeId);
    second.applyStarted(nodeId);
  }

  @Override public void applied(int nodeId, LogEntry entry) {
    first.applied(nodeId, entry);
    second.applied(nodeId, entry);
  }

  @Override public void applyEnded(int nodeId, long firstIndex, long lastIndex, int entries, long bytes) {
    first.applyEnded(nodeId, firstIndex, lastIndex, entries, bytes);
    second.applyEnded(nodeId, firstIndex, lastIndex, entries, bytes);
  }

  @Override public void readRoundStarted(int nodeId, long round, long readIndex, int reads) {
    first.readRoundStarted(nodeId, round, readIndex, reads);
    second.readRoundStarted(nodeId, round, readIndex, reads);
  }

  @Override public void readRoundConfirmed(int nodeId, long term, long round) {
    first.readRoundConfirmed(nodeId, term, round);
    second.readRoundConfirmed(nodeId, term, round);
  }

  @Override public void snapshotStarted(int nodeId, SnapshotKind kind) {
    first.snapshotStarted(nodeId, kind);
    second.snapshotStarted(nodeId, kind);
  }

  @Override public void snapshotEnded(int nodeId, SnapshotKind kind, long index, long term, long bytes) {
    first.snapshotEnded(nodeId, kind, index, term, bytes);
    second.snapshotEnded(nodeId, kind, index, term, bytes);
  }

  @Override public void snapshotRestored(int nodeId, long index, long term) {
    first.snapshotRestored(nodeId, index, term);
    second.snapshotRestored(nodeId, index, term);
  }

  @Override public void snapshotWritten(int nodeId, long index, long bytes, long writeNanos) {
    first.snapshotWritten(nodeId, index, bytes, writeNanos);
    second.snapshotWritten(nodeId, index, bytes, writeNanos);
  }

  @Override public void snapshotInstalled(int nodeId, long index, long term) {
    first.snapshotInstalled(nodeId, index, term);
    second.snapshotInstalled(nodeId, index, term);
  }

  @Override public void configurationChanged(int nodeId, long index, Configuration configuration) {
    first.configurationChanged(nodeId, index, configuration);
    second.configurationChanged(nodeId, index, configuration);
  }

  @Override public void peerRefused(int nodeId, int peerId, String reason) {
    first.peerRefused(nodeId, peerId, reason);
    second.peerRefused(nodeId, peerId, reason);
  }

  @Override public void peerMessageInvalid(int nodeId, int peerId, String kind, String reason) {
    first.peerMessageInvalid(nodeId, peerId, kind, reason);
    second.peerMessageInvalid(nodeId, peerId, kind, reason);
  }

  @Override public void clusterIdCommitted(int nodeId, long clusterId) {
    first.clusterIdCommitted(nodeId, clusterId);
    second.clusterIdCommitted(nodeId, clusterId);
  }

  @Override public void refused(int nodeId, RaftMessage.IncarnationRefused refusal) {
    first.refused(nodeId, refusal);
    second.refused(nodeId, refusal);
  }

  @Override public void removed(int nodeId, long configurationIndex) {
    first.removed(nodeId, configurationIndex);
    second.removed(nodeId, configurationIndex);
  }

  @Override public void persistStarted(int nodeId, long batch, int events) {
    first.persistStarted(nodeId, batch, events);
    second.persistStarted(nodeId, batch, events);
  }

  @Override public void persistDone(int nodeId, long batch) {
    first.persistDone(nodeId, batch);
    second.persistDone(nodeId, batch);
  }
}
