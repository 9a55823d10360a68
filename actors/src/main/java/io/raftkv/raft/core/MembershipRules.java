package io.raftkv.raft.core;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.raft.rules.Quorum;
import java.util.Set;

/**
 * Whether a leader may make a configuration change, and what the configuration becomes
 * (dissertation §4.1, one server at a time): a change whose voters could not reach a quorum with
 * the members the leader hears from now is refused, so a change never makes the cluster stop.
 */
final class MembershipRules {
  private MembershipRules() {}

  sealed interface Outcome {}

  /** The change is allowed: append {@code next}. */
  record Changed(Configuration next) implements Outcome {}

  /** The change is refused, for {@code reason} (nothing was appended). */
  record Refused(String reason) implements Outcome {}

  /** The change removes the leader itself: it must hand leadership over first. */
  record HandOverFirst() implements Outcome {}

  /**
   * @param current the configuration in force (committed: the caller allows one change at a time)
   * @param leaderId the leader deciding
   * @param reachable the members the leader heard from within an election timeout, itself included,
   *     and only those caught up enough to count toward a quorum at once
   */
  static Outcome decide(Configuration current, ConfigurationChange change, int leaderId, Set<Integer> reachable) {
    if (change instanceof ConfigurationChange.Add add) {
      Member m = add.member();
      Member known = current.member(m.id());
      if (known != null && known.incarnation() != 0 && m.incarnation() != 0 && known.incarnation() != m.incarnation()) {
        return new Refused("node " + m.id() + " is a member with another data directory (incarnation " + Member.hex(known.incarnation())
            + "; this one is " + Member.hex(m.incarnation()) + "): it was wiped or replaced. Remove member " + m.id()
            + " first (raftkv member remove " + m.id() + "), then add it again");
      }
      if (known != null) return new Refused("node " + m.id() + " is a member already (" + known.role() + ")");
      if (m.voter()) return new Refused("node " + m.id() + ": a new member joins as a learner and is promoted once caught up");
      if (current.members().size() >= Configuration.MEMBERS_MAX) {
        return new Refused("the cluster has " + current.members().size() + " members, at most " + Configuration.MEMBERS_MAX);
      }
      return new Changed(current.with(m)); // a learner changes no quorum
    }
    if (change instanceof ConfigurationChange.Promote p) {
      Member m = current.member(p.id());
      if (m == null) return new Refused("node " + p.id() + " is not a member");
      if (m.voter()) return new Refused("node " + p.id() + " is a voter already");
      return checkQuorum(current.with(m.asVoter()), reachable, "promoting node " + p.id());
    }
    if (change instanceof ConfigurationChange.Remove r) {
      if (!current.contains(r.id())) return new Refused("node " + r.id() + " is not a member");
      if (r.id() == leaderId) {
        return current.voters().size() > 1 ? new HandOverFirst() : new Refused("node " + r.id() + " is the only voter: the cluster would have none");
      }
      return checkQuorum(current.without(r.id()), reachable, "removing node " + r.id());
    }
    if (change instanceof ConfigurationChange.Register r) {
      Configuration next = current;
      for (Member m : current.members()) {
        Long incarnation = r.incarnations().get(m.id());
        if (m.incarnation() == 0 && incarnation != null && incarnation != 0) next = next.with(m.withIncarnation(incarnation));
      }
      return next.equals(current) ? new Refused("every incarnation given is recorded already") : new Changed(next);
    }
    throw new IllegalArgumentException("unknown change " + change);
  }

  private static Outcome checkQuorum(Configuration next, Set<Integer> reachable, String what) {
    int voters = next.voters().size();
    if (voters == 0) return new Refused(what + " would leave no voter");
    long up = next.voters().stream().filter(reachable::contains).count();
    int needed = Quorum.majority(voters);
    if (up < needed) {
      return new Refused(what + " would lose the quorum: of the " + voters + " voters it leaves, " + up + " are reachable and caught up, "
          + needed + " are needed");
    }
    return new Changed(next);
  }
}
