package io.raftkv.raft.core;

import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver.ElectionOutcome;
import io.raftkv.raft.Replier;
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
 *
 * <p>Each round is reported to the observer from its start to its outcome: won (majority), lost
 * (the election timer ran out first) or stepped down (a leader of this term, or a newer term,
 * appeared).
 */
final class Candidate extends Role {
  private final boolean preVote;
  private final long electionTerm; // the term this election is for
  private final Set<Integer> granted = new TreeSet<>(); // voter ids that granted
  private boolean ended; // the round's outcome is known and reported

  private Candidate(RaftCore core, boolean preVote, long electionTerm, boolean transfer) {
    super(core);
    this.preVote = preVote;
    this.electionTerm = electionTerm;
    core.observer.electionStarted(core.id, electionTerm, preVote, transfer);
  }

  /** The round ended with {@code outcome}; reported once. */
  private void ended(ElectionOutcome outcome) {
    if (ended) return;
    ended = true;
    core.observer.electionEnded(core.id, electionTerm, preVote, outcome, granted.size(), core.voterCount());
  }

  /** Starts an election round; {@code transfer} marks one a leader asked for (it overrides leases). */
  static Role start(RaftCore core, boolean preVote, boolean transfer) {
    core.electionTimer.reset();
    core.setLeader(0);
    Candidate c;
    if (preVote) {
      c = new Candidate(core, true, core.currentTerm() + 1, transfer);
      c.granted.add(core.id); // a pre-vote changes nothing, so its own needs no durability
    } else {
      core.advanceTerm(core.currentTerm() + 1);
      core.voteFor(core.id);
      c = new Candidate(core, false, core.currentTerm(), transfer);
      core.sendWhenDurable(core.id, new RequestVoteResult(c.electionTerm, core.id, true, false));
    }
    RequestVote request = new RequestVote(c.electionTerm, core.id, core.log.lastIndex(), core.log.lastTerm(), preVote, transfer);
    for (int peer : core.voterPeerIds()) core.send(peer, request);
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
    if (core.electionTimer.tick()) {
      ended(ElectionOutcome.LOST);
      return start(core, core.settings.preVote(), false);
    }
    return this;
  }

  /** A newer term deposes the candidate (Role makes it a follower). */
  @Override
  void leave() {
    ended(ElectionOutcome.STEPPED_DOWN);
  }

  @Override
  Role onPropose(StateMachineCommand command, Replier replyTo) {
    core.answer(replyTo, new NotLeader(0));
    return this;
  }

  @Override
  Role onCurrentTermMessage(RaftMessage m) {
    if (m instanceof AppendEntries || m instanceof InstallSnapshot || m instanceof RaftMessage.Heartbeat || m instanceof RaftMessage.Removed) {
      // A leader of this term exists (§5.2): follow it.
      ended(ElectionOutcome.STEPPED_DOWN);
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

  /** Won once a majority of the voters in force granted (a grant from a node that is no voter, or no longer one, does not count). */
  private Role checkWon() {
    Set<Integer> voters = new TreeSet<>();
    for (int id : granted) if (core.isVoter(id)) voters.add(id);
    if (!Quorum.isMajority(voters, core.voterCount())) return this;
    ended(ElectionOutcome.WON);
    return preVote ? start(core, false, false) : Leader.start(core);
  }
}
