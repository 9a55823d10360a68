package io.raftkv.raft.jfr;

import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.raft.RaftObserver;
import java.util.EnumMap;
import java.util.List;

/**
 * Turns what a node reports into its flight-recorder events ({@code raftkv.*}). One per node: an
 * event that spans several reports (an election round, a read round, an apply run, a snapshot) is
 * begun on the first and committed on the last, so it is kept here in between. Every report
 * checks {@code isEnabled()} before it builds anything, so without a recording this costs a
 * branch per report.
 */
public final class JfrRaftObserver implements RaftObserver {
  private ElectionEvent election; // the round under way, begun when a recording wants elections; else null
  private ReadIndexEvent readRound; // likewise, the read round in flight
  private ApplyEvent apply; // likewise, the apply run under way
  private final EnumMap<SnapshotKind, SnapshotEvent> snapshots = new EnumMap<>(SnapshotKind.class); // begun, by kind

  @Override
  public void electionStarted(int nodeId, long term, boolean preVote, boolean transfer) {
    election = null;
    ElectionEvent e = new ElectionEvent();
    if (!e.isEnabled()) return;
    e.begin();
    e.transfer = transfer;
    election = e;
  }

  @Override
  public void electionEnded(int nodeId, long term, boolean preVote, ElectionOutcome outcome, int votes, int voters) {
    ElectionEvent e = election;
    if (e == null) return;
    election = null;
    e.end();
    if (!e.shouldCommit()) return;
    e.nodeId = nodeId;
    e.term = term;
    e.preVote = preVote;
    e.votes = votes;
    e.voters = voters;
    e.outcome = switch (outcome) {
      case WON -> ElectionEvent.WON;
      case LOST -> ElectionEvent.LOST;
      case STEPPED_DOWN -> ElectionEvent.STEPPED_DOWN;
    };
    e.commit();
  }

  @Override
  public void appendSent(int nodeId, int followerId, long term, long prevLogIndex, List<LogEntry> entries) {
    AppendBatchEvent e = new AppendBatchEvent();
    if (!e.isEnabled()) return;
    e.nodeId = nodeId;
    e.followerId = followerId;
    e.term = term;
    e.prevLogIndex = prevLogIndex;
    e.entries = entries.size();
    for (LogEntry entry : entries) e.bytes += entry.command().sizeBytes();
    e.commit();
  }

  @Override
  public void committed(int nodeId, long term, long previous, long commitIndex) {
    CommitAdvanceEvent e = new CommitAdvanceEvent();
    if (!e.isEnabled()) return;
    e.nodeId = nodeId;
    e.term = term;
    e.oldCommitIndex = previous;
    e.newCommitIndex = commitIndex;
    e.commit();
  }

  @Override
  public void applyStarted(int nodeId) {
    apply = null;
    ApplyEvent e = new ApplyEvent();
    if (!e.isEnabled()) return;
    e.begin();
    apply = e;
  }

  @Override
  public void applyEnded(int nodeId, long firstIndex, long lastIndex, int entries, long bytes) {
    ApplyEvent e = apply;
    if (e == null) return;
    apply = null;
    e.nodeId = nodeId;
    e.firstIndex = firstIndex;
    e.lastIndex = lastIndex;
    e.entries = entries;
    e.bytes = bytes;
    e.commit();
  }

  @Override
  public void readRoundStarted(int nodeId, long round, long readIndex, int reads) {
    readRound = null; // a round starts only when none is in flight: nothing is dropped here
    ReadIndexEvent e = new ReadIndexEvent();
    if (!e.isEnabled()) return;
    e.begin();
    e.round = round;
    e.readIndex = readIndex;
    e.reads = reads;
    readRound = e;
  }

  @Override
  public void readRoundConfirmed(int nodeId, long term, long round) {
    ReadIndexEvent e = readRound;
    if (e == null || e.round != round) return;
    readRound = null;
    e.end();
    if (!e.shouldCommit()) return;
    e.nodeId = nodeId;
    e.term = term;
    e.commit();
  }

  @Override
  public void snapshotStarted(int nodeId, SnapshotKind kind) {
    snapshots.remove(kind); // a write that failed never ended its event
    SnapshotEvent e = new SnapshotEvent();
    if (!e.isEnabled()) return;
    e.begin();
    snapshots.put(kind, e);
  }

  @Override
  public void snapshotEnded(int nodeId, SnapshotKind kind, long index, long term, long bytes) {
    SnapshotEvent e = snapshots.remove(kind);
    if (e == null) return;
    e.end();
    if (!e.shouldCommit()) return;
    e.nodeId = nodeId;
    e.kind = switch (kind) {
      case TAKEN -> SnapshotEvent.TAKEN;
      case RESTORED -> SnapshotEvent.RESTORED;
      case INSTALLED -> SnapshotEvent.INSTALLED;
    };
    e.lastIncludedIndex = index;
    e.lastIncludedTerm = term;
    e.bytes = bytes;
    e.commit();
  }
}
