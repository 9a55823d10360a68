package io.raftkv.raft;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.serialization.RaftkvSerializable;
import java.util.Arrays;
import java.util.List;

/**
 * What Raft nodes say to each other, with the paper's field names (Figure 2, §7). Nodes are named
 * by their configured id, never by an ActorRef or an address; answers go to the sender's id.
 */
public sealed interface RaftMessage extends RaftNode.Command, RaftkvSerializable {
  /** The sender's term (for a pre-vote request: the term the candidate would stand in). */
  long term();

  /** The sender's node id. */
  int from();

  /**
   * §5.2 RequestVote. With {@code preVote} it is the dissertation's §9.6 pre-vote: asks whether the
   * candidate could win at {@code term} without anyone changing term. {@code leadershipTransfer}
   * marks an election a leader asked for with {@link TimeoutNow}; it overrides the leader lease.
   */
  record RequestVote(long term, int candidateId, long lastLogIndex, long lastLogTerm, boolean preVote, boolean leadershipTransfer)
      implements RaftMessage {
    @Override public int from() { return candidateId; }
  }

  record RequestVoteResult(long term, int voterId, boolean voteGranted, boolean preVote) implements RaftMessage {
    @Override public int from() { return voterId; }
  }

  /** §5.3 AppendEntries; with no entries it is a heartbeat. */
  record AppendEntries(long term, int leaderId, long prevLogIndex, long prevLogTerm, List<LogEntry> entries, long leaderCommit)
      implements RaftMessage {
    public AppendEntries {
      entries = List.copyOf(entries);
    }
    @Override public int from() { return leaderId; }
  }

  /**
   * The answer to an AppendEntries. On success {@code matchIndex} is the last index the follower
   * now stores that matches the leader. On failure {@code matchIndex} is the rejected
   * {@code prevLogIndex} (so a late rejection can be recognised), and the conflict hints say where
   * to resume (§5.3): {@code conflictTerm} 0 means the follower's log ends before
   * {@code conflictIndex}.
   */
  record AppendEntriesResult(long term, int followerId, boolean success, long matchIndex, long conflictIndex, long conflictTerm)
      implements RaftMessage {
    @Override public int from() { return followerId; }
  }

  /**
   * §7 InstallSnapshot, one chunk of at most {@code snapshot-chunk-bytes} of the leader's snapshot
   * file; {@code totalBytes} and {@code crc32c} describe the whole file, so the follower can verify
   * it before installing it. {@code configuration} is the cluster's as of the snapshot's index
   * (dissertation §4: it is part of every snapshot). {@code round} numbers the leader's sendings of
   * this snapshot to this follower (a new one at each rewind); the answer echoes it, so that only an
   * answer to the current round may rewind the transfer (raftkv's addition to the paper).
   */
  record InstallSnapshot(long term, int leaderId, long lastIncludedIndex, long lastIncludedTerm, long offset, byte[] data, boolean done,
      long totalBytes, int crc32c, Configuration configuration, long round) implements RaftMessage {
    @Override public int from() { return leaderId; }

    /** A chunk of round 0. */
    public InstallSnapshot(long term, int leaderId, long lastIncludedIndex, long lastIncludedTerm, long offset, byte[] data, boolean done,
        long totalBytes, int crc32c, Configuration configuration) {
      this(term, leaderId, lastIncludedIndex, lastIncludedTerm, offset, data, done, totalBytes, crc32c, configuration, 0);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof InstallSnapshot s && s.term == term && s.leaderId == leaderId && s.lastIncludedIndex == lastIncludedIndex
          && s.lastIncludedTerm == lastIncludedTerm && s.offset == offset && s.done == done && s.totalBytes == totalBytes
          && s.crc32c == crc32c && Arrays.equals(s.data, data) && s.configuration.equals(configuration) && s.round == round;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(lastIncludedIndex) * 31 + Long.hashCode(offset);
    }

    @Override
    public String toString() {
      return "InstallSnapshot[term=" + term + ", leaderId=" + leaderId + ", last=" + lastIncludedIndex + "@" + lastIncludedTerm
          + ", offset=" + offset + ", bytes=" + data.length + ", done=" + done + ", of " + totalBytes + ", " + configuration + ", round=" + round
          + "]";
    }
  }

  /**
   * The answer to an InstallSnapshot chunk: the next byte the follower needs, or {@code installed}
   * once it stores snapshot {@code lastIncludedIndex}; {@code round} is the answered chunk's
   * ({@link #NO_ROUND} for an answer to no chunk in particular).
   */
  record InstallSnapshotResult(long term, int followerId, long lastIncludedIndex, long nextOffset, boolean installed, long round)
      implements RaftMessage {
    /** The {@code round} of an answer to no chunk in particular (a stale term, an installed snapshot). */
    public static final long NO_ROUND = -1;

    /** An answer to no chunk in particular. */
    public InstallSnapshotResult(long term, int followerId, long lastIncludedIndex, long nextOffset, boolean installed) {
      this(term, followerId, lastIncludedIndex, nextOffset, installed, NO_ROUND);
    }

    @Override public int from() { return followerId; }
  }

  /**
   * A leader's heartbeat for a ReadIndex round (dissertation §6.4): it changes no log, carries a
   * commit index the follower is known to store ({@code min(commit, matchIndex)}), and is answered
   * at once with the round.
   */
  record Heartbeat(long term, int leaderId, long commitIndex, long readRound) implements RaftMessage {
    @Override public int from() { return leaderId; }
  }

  record HeartbeatResult(long term, int followerId, long readRound) implements RaftMessage {
    @Override public int from() { return followerId; }
  }

  /**
   * The leader tells a member it removed that the configuration without it (from
   * {@code configurationIndex}) is committed: it is no longer in the cluster, and stops.
   */
  record Removed(long term, int leaderId, long configurationIndex) implements RaftMessage {
    @Override public int from() { return leaderId; }
  }

  /**
   * A message with its sender's identity, as a node whose data directory has an incarnation sends
   * every message: the cluster id it knows (0 before it learned one) and the incarnation of its
   * data directory. The receiver checks both before the message counts for anything (see
   * {@code core.IdentityRules}); it never wraps another {@code Identified}.
   */
  record Identified(long clusterId, long incarnation, RaftMessage message) implements RaftMessage {
    public Identified {
      if (message instanceof Identified) throw new IllegalArgumentException("an identified message inside another");
    }
    @Override public long term() { return message.term(); }
    @Override public int from() { return message.from(); }
  }

  /**
   * A message with the proof that its sender may speak as the node it names (its {@code from}), as
   * a node whose connections are mutual TLS sends every message: the proof is the sender's signature,
   * with the key of its node certificate, over its id and the receiver's (see
   * {@link PeerAuthenticator}). The receiver checks it before anything else and refuses a message
   * without one or whose proof does not hold. Wraps an {@link Identified} or a bare message, never
   * another {@code Vouched}.
   *
   * @param proof at most {@link #PROOF_BYTES_MAX} bytes
   */
  record Vouched(byte[] proof, RaftMessage message) implements RaftMessage {
    /** The longest proof: its header and an ECDSA P-256 signature (at most 72 bytes), with room. */
    public static final int PROOF_BYTES_MAX = 128;

    public Vouched {
      if (proof == null || proof.length > PROOF_BYTES_MAX) throw new IllegalArgumentException("a proof of at most " + PROOF_BYTES_MAX + " bytes");
      if (message instanceof Vouched) throw new IllegalArgumentException("a vouched message inside another");
    }
    @Override public long term() { return message.term(); }
    @Override public int from() { return message.from(); }

    @Override
    public boolean equals(Object o) {
      return o instanceof Vouched v && Arrays.equals(v.proof, proof) && v.message.equals(message);
    }

    @Override
    public int hashCode() {
      return message.hashCode();
    }

    @Override
    public String toString() {
      return "Vouched[" + proof.length + " bytes of proof, " + message + "]";
    }
  }

  /**
   * A member refuses a message from node {@code to}'s data directory: its configuration (from
   * {@code configurationIndex}) knows member {@code to} by incarnation {@code knownIncarnation}, and
   * the message came from {@code senderIncarnation}. The data directory was wiped or replaced; the
   * node stops, unless its own configuration already lists it under its incarnation (then the
   * refuser is behind).
   */
  record IncarnationRefused(long term, int refuserId, int to, long configurationIndex, long knownIncarnation, long senderIncarnation)
      implements RaftMessage {
    @Override public int from() { return refuserId; }
  }

  /** Leadership transfer (dissertation §3.10): the leader tells an up-to-date follower to start an election now. */
  record TimeoutNow(long term, int leaderId) implements RaftMessage {
    @Override public int from() { return leaderId; }
  }
}
