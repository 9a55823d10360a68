package io.raftkv.raft;

import io.raftkv.jfr.ElectionEvent;
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
 *
 * <p>Each round is an {@link ElectionEvent} in a flight recording, from its start to its outcome:
 * won (majority), lost (the election timer ran out first) or stepped down (a leader of this term,
 * or a newer term, appeared).
 */
final class Candidate extends Role {
  private final boolean preVote;
  private final long electionTerm; // the term this election is for
  private final Set<Integer> granted = new TreeSet<>(); // voter ids that granted
  private ElectionEvent jfr; // begun when a recording wants elections; null otherwise and once the round's outcome is known

  private Candidate(NodeCore core, boolean preVote, long electionTerm, boolean transfer) {
    super(core);
    this.preVote = preVote;
    this.electionTerm = electionTerm;
    ElectionEvent e = new ElectionEvent();
    if (e.isEnabled()) {
      e.begin();
      e.transfer = transfer;
      jfr = e;
    }
  }

  /** The round ended with {@code outcome} (one of ElectionEvent's constants); records it once. */
  private void ended(String outcome) {
    if (jfr == null) return;
    ElectionEvent e = jfr;
    jfr = null;
    e.end();
    if (!e.shouldCommit()) return;
    e.nodeId = core.id;
    e.term = electionTerm;
    e.preVote = preVote;
    e.votes = granted.size();
    e.voters = core.voterCount();
    e.outcome = outcome;
    e.commit();
  }

  /** Starts an election round; {@code transfer} marks one a leader asked for (it overrides leases). */
  static Role start(NodeCore core, boolean preVote, boolean transfer) {
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
    if (core.electionTimer.tick()) {
      ended(ElectionEvent.LOST);
      return start(core, core.settings.preVote(), false);
    }
    return this;
  }

  /** A newer term deposes the candidate (Role makes it a follower). */
  @Override
  void leave() {
    ended(ElectionEvent.STEPPED_DOWN);
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
      ended(ElectionEvent.STEPPED_DOWN);
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
    ended(ElectionEvent.WON);
    return preVote ? start(core, false, false) : Leader.start(core);
  }
}
