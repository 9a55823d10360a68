package io.raftkv.raft.core;

import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftSettings;
import java.util.List;

/**
 * What no correct node sends, checked before a peer's message reaches the rules: a negative index,
 * a term going backwards in a batch, entries that do not follow their own {@code prevLogIndex}, a
 * snapshot chunk past the size it announces. Such a message is refused with the reason, counted by
 * the observer, and changes nothing: the rules behind this check may then assume well-formed input,
 * so no message a peer can send trips an internal check and stops the node.
 *
 * <p>These are the checks a message allows on its own. What depends on the receiver's state (an
 * acknowledgement past the leader's log, a second leader in a term, a conflict below the commit
 * index) is refused by the role that meets it.
 */
final class MessageCheck {
  /**
   * The highest term a message may carry: a million elections a second would take 146,000 years to
   * reach it, and it leaves room to count up (a term past {@code Long.MAX_VALUE - 1} would wrap to a
   * negative one at the next election).
   */
  static final long TERM_MAX = 1L << 62;

  /** The highest log index a message may name, for the same reason: room to add to it. */
  static final long INDEX_MAX = 1L << 62;

  private MessageCheck() {}

  /**
   * Why {@code m}, from a peer, is impossible, or null when it is well formed.
   *
   * @param self the receiving node's id: no peer speaks for it
   */
  static String problem(RaftMessage m, int self, RaftSettings settings) {
    if (m.from() < 1) return "sender id " + m.from() + " < 1";
    if (m.from() == self) return "it claims to come from this node (" + self + ")";
    if (m.term() < 0 || m.term() > TERM_MAX) return "term " + m.term() + " outside 0..2^62";
    if (m instanceof RaftMessage.RequestVote v) return requestVote(v);
    if (m instanceof RaftMessage.AppendEntries a) return appendEntries(a);
    if (m instanceof RaftMessage.AppendEntriesResult r) return appendEntriesResult(r);
    if (m instanceof RaftMessage.InstallSnapshot s) return installSnapshot(s, settings);
    if (m instanceof RaftMessage.InstallSnapshotResult r) {
      if (r.lastIncludedIndex() < 1) return "lastIncludedIndex " + r.lastIncludedIndex() + " < 1";
      if (r.nextOffset() < 0) return "nextOffset " + r.nextOffset() + " < 0";
      if (r.round() < RaftMessage.InstallSnapshotResult.NO_ROUND) return "round " + r.round() + " < -1";
      return null;
    }
    if (m instanceof RaftMessage.Heartbeat h) {
      if (h.term() < 1) return "a leader's term is >= 1, was " + h.term();
      if (h.commitIndex() < 0) return "commitIndex " + h.commitIndex() + " < 0";
      if (h.readRound() < 0) return "readRound " + h.readRound() + " < 0";
      return null;
    }
    if (m instanceof RaftMessage.HeartbeatResult h) return h.readRound() < 0 ? "readRound " + h.readRound() + " < 0" : null;
    if (m instanceof RaftMessage.Removed r) {
      if (r.term() < 1) return "a leader's term is >= 1, was " + r.term();
      return r.configurationIndex() < 1 ? "configurationIndex " + r.configurationIndex() + " < 1" : null;
    }
    if (m instanceof RaftMessage.IncarnationRefused r) {
      if (r.to() < 1) return "refused node id " + r.to() + " < 1";
      return r.configurationIndex() < 0 ? "configurationIndex " + r.configurationIndex() + " < 0" : null;
    }
    if (m instanceof RaftMessage.TimeoutNow t) return t.term() < 1 ? "a leader's term is >= 1, was " + t.term() : null;
    if (m instanceof RaftMessage.RequestVoteResult) return null;
    return "unknown message " + m.getClass().getSimpleName();
  }

  private static String requestVote(RaftMessage.RequestVote v) {
    if (v.term() < 1) return "a candidate's term is >= 1, was " + v.term();
    if (v.lastLogIndex() < 0 || v.lastLogIndex() > INDEX_MAX) return "lastLogIndex " + v.lastLogIndex() + " outside 0..2^62";
    if (v.lastLogTerm() < 0 || v.lastLogTerm() > v.term()) return "lastLogTerm " + v.lastLogTerm() + " outside 0.." + v.term();
    if ((v.lastLogIndex() == 0) != (v.lastLogTerm() == 0)) {
      return "lastLogIndex " + v.lastLogIndex() + " with lastLogTerm " + v.lastLogTerm() + ": only an empty log has term 0";
    }
    return null;
  }

  private static String appendEntries(RaftMessage.AppendEntries a) {
    if (a.term() < 1) return "a leader's term is >= 1, was " + a.term();
    if (a.prevLogIndex() < 0 || a.prevLogIndex() > INDEX_MAX) return "prevLogIndex " + a.prevLogIndex() + " outside 0..2^62";
    if (a.prevLogTerm() < 0 || a.prevLogTerm() > a.term()) return "prevLogTerm " + a.prevLogTerm() + " outside 0.." + a.term();
    if ((a.prevLogIndex() == 0) != (a.prevLogTerm() == 0)) {
      return "prevLogIndex " + a.prevLogIndex() + " with prevLogTerm " + a.prevLogTerm() + ": only index 0 has term 0";
    }
    if (a.leaderCommit() < 0) return "leaderCommit " + a.leaderCommit() + " < 0";
    List<LogEntry> entries = a.entries();
    long previousTerm = a.prevLogTerm();
    for (int i = 0; i < entries.size(); i++) {
      LogEntry e = entries.get(i);
      long expected = a.prevLogIndex() + 1 + i;
      if (e.index() != expected) return "entry " + i + " has index " + e.index() + ", after prevLogIndex " + a.prevLogIndex() + " it must be " + expected;
      if (e.term() < previousTerm) return "entry " + e.index() + " has term " + e.term() + ", after term " + previousTerm + ": terms go backwards";
      if (e.term() > a.term()) return "entry " + e.index() + " has term " + e.term() + ", past the leader's term " + a.term();
      previousTerm = e.term();
    }
    return null;
  }

  private static String appendEntriesResult(RaftMessage.AppendEntriesResult r) {
    if (r.matchIndex() < 0) return "matchIndex " + r.matchIndex() + " < 0";
    if (r.conflictIndex() < 0) return "conflictIndex " + r.conflictIndex() + " < 0";
    if (r.conflictTerm() < 0) return "conflictTerm " + r.conflictTerm() + " < 0";
    return null;
  }

  private static String installSnapshot(RaftMessage.InstallSnapshot s, RaftSettings settings) {
    if (s.term() < 1) return "a leader's term is >= 1, was " + s.term();
    if (s.lastIncludedIndex() < 1 || s.lastIncludedIndex() > INDEX_MAX) return "lastIncludedIndex " + s.lastIncludedIndex() + " outside 1..2^62";
    if (s.lastIncludedTerm() < 1 || s.lastIncludedTerm() > s.term()) {
      return "lastIncludedTerm " + s.lastIncludedTerm() + " outside 1.." + s.term();
    }
    if (s.data() == null) return "a chunk without data";
    if (s.round() < 0) return "round " + s.round() + " < 0";
    if (s.configuration() == null) return "a snapshot without its configuration";
    if (s.data().length > settings.snapshotChunkBytes()) {
      return "a chunk of " + s.data().length + " bytes, over snapshot-chunk-bytes = " + settings.snapshotChunkBytes();
    }
    if (s.totalBytes() < 0 || s.totalBytes() > settings.snapshotBytesMax()) {
      return "totalBytes " + s.totalBytes() + " outside 0.." + settings.snapshotBytesMax() + " (snapshot-bytes-max)";
    }
    if (s.offset() < 0 || s.offset() + s.data().length > s.totalBytes()) {
      return "a chunk of " + s.data().length + " bytes at offset " + s.offset() + " runs past the announced " + s.totalBytes() + " bytes";
    }
    if (s.done() && s.offset() + s.data().length != s.totalBytes()) {
      return "the last chunk ends at " + (s.offset() + s.data().length) + ", the snapshot has " + s.totalBytes() + " bytes";
    }
    return null;
  }
}
