package io.raftkv.raft.core;

import io.raftkv.persistence.raftlog.RaftLogState;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftMessage.AppendEntries;
import io.raftkv.raft.RaftMessage.AppendEntriesResult;
import io.raftkv.raft.RaftMessage.InstallSnapshot;
import io.raftkv.raft.RaftMessage.InstallSnapshotResult;
import io.raftkv.raft.RaftMessage.RequestVote;
import io.raftkv.raft.RaftMessage.RequestVoteResult;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.Replier;
import io.raftkv.raft.rules.VoteRules;

/**
 * What the three roles share: the term rules every message passes first (Figure 2, "Rules for
 * Servers: all servers") and votes. A handler returns the role the node has next: {@code this}
 * to stay, another role to change (the shell then switches to that role's behavior).
 */
abstract class Role {
  final RaftCore core;

  Role(RaftCore core) {
    this.core = core;
  }

  abstract RaftNode.Role kind();

  /** A Raft message of the node's current term. */
  abstract Role onCurrentTermMessage(RaftMessage m);

  abstract Role onTick();

  /** A client's write: appended and answered once applied, by a leader only. */
  abstract Role onPropose(StateMachineCommand command, Replier replyTo);

  /** A leader is "in lease" while it leads; a follower while it heard from a leader within the minimum election timeout. */
  abstract boolean inLease();

  /** A linearizable read: only a leader serves it (Leader overrides). */
  Role onRead(StateMachineCommand query, Replier replyTo) {
    core.answer(replyTo, new RaftNode.NotLeader(core.leaderId()));
    return this;
  }

  /** A change of the cluster's members: only a leader makes one (Leader overrides). */
  Role onChangeConfiguration(ConfigurationChange change, Replier replyTo) {
    core.answer(replyTo, new RaftNode.NotLeader(core.leaderId()));
    return this;
  }

  Role onReplicate() {
    return this;
  }

  Role onTransferLeadership(int targetId) {
    return this;
  }

  /** A batch of the durable log was acknowledged. */
  Role onDurable() {
    return this;
  }

  /** The node leaves this role (for another role, or another instance of this one). */
  void leave() {}

  /** Every message passes Figure 2's term rules first; one of the current term goes to the role. */
  final Role onRaftMessage(RaftMessage m) {
    if (m instanceof RequestVote rv && rv.preVote()) return onPreVote(rv);
    long term = core.currentTerm();
    if (m.term() > term) {
      if (m instanceof RequestVote rv && inLease() && !rv.leadershipTransfer()) {
        return this; // §9.6: a leader is alive; a candidate that cannot hear it must not depose it
      }
      if (m instanceof RequestVoteResult r && r.preVote() && r.voteGranted()) {
        return onCurrentTermMessage(m); // a pre-vote grant carries the term the candidate will stand in
      }
      leave();
      core.advanceTerm(m.term());
      Follower follower = new Follower(core);
      return follower.onCurrentTermMessage(m);
    }
    if (m.term() < term) {
      answerStale(m);
      return this;
    }
    return onCurrentTermMessage(m);
  }

  /** Tells the sender of an older term about the newer one, so a deposed leader or candidate steps down. */
  private void answerStale(RaftMessage m) {
    long term = core.currentTerm();
    if (m instanceof AppendEntries ae) {
      core.send(ae.leaderId(), new AppendEntriesResult(term, core.id, false, ae.prevLogIndex(), 0, 0));
    } else if (m instanceof InstallSnapshot is) {
      core.send(is.leaderId(), new InstallSnapshotResult(term, core.id, is.lastIncludedIndex(), 0, false));
    } else if (m instanceof RequestVote rv) {
      core.send(rv.candidateId(), new RequestVoteResult(term, core.id, false, false));
    } else if (m instanceof RaftMessage.Heartbeat hb) {
      core.send(hb.leaderId(), new RaftMessage.HeartbeatResult(term, core.id, hb.readRound()));
    }
  }

  /** §9.6 pre-vote: would this node vote at the candidate's next term? Changes no state, so it answers at once. */
  private Role onPreVote(RequestVote rv) {
    boolean grant = rv.term() > core.currentTerm() && !inLease() && core.mayVote() && logAllowsVote(rv);
    core.send(rv.candidateId(), new RequestVoteResult(grant ? rv.term() : core.currentTerm(), core.id, grant, true));
    return this;
  }

  /** §5.2, §5.4.1: one vote per term, only for a candidate whose log is at least as up-to-date. Answered once the vote is durable. */
  final void onRequestVote(RequestVote rv) {
    boolean grant = VoteRules.voteAvailable(core.votedFor(), rv.candidateId(), RaftLogState.NO_VOTE) && core.mayVote() && logAllowsVote(rv);
    if (grant) {
      if (core.votedFor() != rv.candidateId()) core.voteFor(rv.candidateId());
      core.electionTimer.reset();
    }
    core.sendWhenDurable(rv.candidateId(), new RequestVoteResult(core.currentTerm(), core.id, grant, false));
  }

  private boolean logAllowsVote(RequestVote rv) {
    return VoteRules.candidateLogUpToDate(rv.lastLogTerm(), rv.lastLogIndex(), core.log.lastTerm(), core.log.lastIndex());
  }
}
