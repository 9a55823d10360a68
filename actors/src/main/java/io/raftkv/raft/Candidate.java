package io.raftkv.raft;

import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.raft.RaftMessage.AppendEntries;
import io.raftkv.raft.RaftMessage.InstallSnapshot;
import io.raftkv.raft.RaftMessage.RequestVote;
import io.raftkv.raft.RaftMessage.RequestVoteResult;
import io.raftkv.raft.RaftNode.NotLeader;
import io.raftkv.raft.rules.Quorum;
import java.util.Set;
import java.util.TreeSet;

/**
 * A candidate asks for votes (§5.2), first in a pre-vote round that changes no term (§9.6) when
 * pre-vote is on. Votes are counted per voter id, so a duplicated grant counts once; its own vote
 * counts only once it is durable.
 */
final class Candidate extends Role {
  private final boolean preVote;
  private final long electionTerm; // the term this election is for
  private final Set<Integer> granted = new TreeSet<>(); // voter ids that granted

  private Candidate(NodeCore core, boolean preVote, long electionTerm) {
    super(core);
    this.preVote = preVote;
    this.electionTerm = electionTerm;
  }

  /** Starts an election round; {@code transfer} marks one a leader asked for (it overrides leases). */
  static Role start(NodeCore core, boolean preVote, boolean transfer) {
    core.electionTimer.reset();
    core.setLeader(0);
    Candidate c;
    if (preVote) {
      c = new Candidate(core, true, core.currentTerm() + 1);
      c.granted.add(core.id); // a pre-vote changes nothing, so its own needs no durability
    } else {
      core.advanceTerm(core.currentTerm() + 1);
      core.voteFor(core.id);
      c = new Candidate(core, false, core.currentTerm());
      core.sendWhenDurable(core.id, new RequestVoteResult(c.electionTerm, core.id, true, false));
    }
    RequestVote request = new RequestVote(c.electionTerm, core.id, core.log.lastIndex(), core.log.lastTerm(), preVote, transfer);
    for (int peer : core.peerIds()) core.send(peer, request);
    return c.checkWon();
  }

  @Override
  RaftNode.Role kind() {
    return RaftNode.Role.CANDIDATE;
  }

  @Override
  boolean inLease() {
    return false;
  }

  @Override
  Role onTick() {
    if (core.electionTimer.tick()) return start(core, core.settings.preVote(), false);
    return this;
  }

  @Override
  Role onPropose(StateMachineCommand command, Replier replyTo) {
    replyTo.reply(new NotLeader(0));
    return this;
  }

  @Override
  Role onCurrentTermMessage(RaftMessage m) {
    if (m instanceof AppendEntries || m instanceof InstallSnapshot || m instanceof RaftMessage.Heartbeat) {
      // A leader of this term exists (§5.2): follow it.
      return new Follower(core).onCurrentTermMessage(m);
    }
    if (m instanceof RequestVote rv) {
      onRequestVote(rv);
      return this;
    }
    if (m instanceof RequestVoteResult r && r.preVote() == preVote && r.term() == electionTerm && r.voteGranted()) {
      granted.add(r.voterId());
      return checkWon();
    }
    return this;
  }

  private Role checkWon() {
    if (!Quorum.isMajority(granted, core.voterCount())) return this;
    return preVote ? start(core, false, false) : Leader.start(core);
  }
}
