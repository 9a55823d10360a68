package io.raftkv.raft.core;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.raft.RaftMessage;

/**
 * Who may take part: a message counts only if its sender belongs to this node's cluster and, when
 * the configuration knows the sender's data directory and the message is a vote or an
 * acknowledgement ({@link #counted}), comes from that directory. A node whose data directory was
 * wiped has forgotten its vote and its log; under its old id it could vote twice in a term, or
 * acknowledge entries it no longer holds. Its messages carry the new directory's
 * incarnation, which the configuration does not know, so they are refused before they count.
 *
 * <p>A value of 0 means "not known": a node learns the cluster id from the leader's log once the
 * configuration that holds it is committed (a message stamped with an id that may still be replaced
 * would be refused by nodes that hold the replacement), and a member
 * of the bootstrap file is known by id alone until the leader has recorded its incarnation (within
 * the first heartbeats of the cluster's life; until then a wiped member is not detected).
 */
final class IdentityRules {
  private IdentityRules() {}

  enum Verdict {
    /** The message counts. */
    ACCEPT,
    /** The sender belongs to another cluster: ignored. */
    OTHER_CLUSTER,
    /** The configuration knows the sender's id under another incarnation: refused, and the sender told so. */
    OTHER_INCARNATION
  }

  /**
   * @param current the configuration in force here
   * @param clusterId this node's cluster id (committed), or 0
   * @param message the message, from the sender's id
   * @param senderClusterId the cluster id the sender knows, or 0
   * @param senderIncarnation the sender's data directory, or 0
   */
  static Verdict check(Configuration current, long clusterId, RaftMessage message, long senderClusterId, long senderIncarnation) {
    if (clusterId != 0 && senderClusterId != 0 && clusterId != senderClusterId) return Verdict.OTHER_CLUSTER;
    Member m = current.member(message.from());
    if (m != null && m.incarnation() != 0 && senderIncarnation != 0 && m.incarnation() != senderIncarnation && counted(message)) {
      return Verdict.OTHER_INCARNATION;
    }
    return Verdict.ACCEPT;
  }

  /**
   * Whether the message is one the receiver counts toward a decision, so that it must come from
   * the data directory the configuration knows: a vote asked for or cast, an acknowledgement of
   * entries, of a snapshot or of a read round. A leader's own messages (appends, snapshot chunks,
   * heartbeats, a hand-over, a removal notice) are not: a wiped directory never leads (its vote
   * requests are refused), and a member behind, whose configuration predates the sender's removal
   * and re-adding, must follow it to learn the configuration that holds its new directory.
   */
  static boolean counted(RaftMessage message) {
    return !(message instanceof RaftMessage.AppendEntries || message instanceof RaftMessage.InstallSnapshot
        || message instanceof RaftMessage.Heartbeat || message instanceof RaftMessage.TimeoutNow || message instanceof RaftMessage.Removed);
  }

  /**
   * Whether a node may grant votes (and pre-votes). A node that joined a running cluster (no voter
   * of the bootstrap file) grants none until its configuration lists it under its own data
   * directory, that is until it holds the entry that added it. Before that its log may be empty or
   * short while its id names a member in a candidate's configuration, and a candidate whose
   * configuration knows that member by id only (it predates the recording of incarnations, as the
   * bootstrap file's does) would count the vote as the old member's, whose log held every
   * committed entry: it could win without them.
   *
   * @param bootstrapMember the node is a voter of the bootstrap file it started from
   */
  static boolean mayVote(Configuration current, int selfId, long ownIncarnation, boolean bootstrapMember) {
    if (bootstrapMember || ownIncarnation == 0) return true;
    Member self = current.member(selfId);
    return self != null && self.incarnation() == ownIncarnation;
  }

  /**
   * Whether a node whose data directory is {@code ownIncarnation} accepts a peer's refusal and
   * stops: only when the refusal is about this directory, comes from the leader it follows in the
   * refusal's term, and its own configuration does not list it under this directory (then the
   * refuser's configuration is older than its own, as after the member was removed and added
   * again). Only the leader's configuration holds every committed change: a member behind may
   * still know the id by a directory since removed, and a node added again under its id, not yet
   * caught up to its own adding, cannot tell that refusal from a true one. Any member's refusal
   * already keeps the directory's votes and acknowledgements from counting there.
   *
   * @param fromItsLeader the refuser leads the node's current term, as far as the node knows
   */
  static boolean acceptsRefusal(Configuration current, int selfId, long ownIncarnation, long refusedIncarnation, long knownIncarnation,
      boolean fromItsLeader) {
    if (!fromItsLeader || ownIncarnation == 0 || refusedIncarnation != ownIncarnation || knownIncarnation == ownIncarnation) return false;
    Member self = current.member(selfId);
    return self == null || self.incarnation() != ownIncarnation;
  }
}
