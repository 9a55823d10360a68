package io.raftkv.raft.core;

import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.Replier;
import io.raftkv.raft.RaftMessage.AppendEntries;
import io.raftkv.raft.RaftMessage.AppendEntriesResult;
import io.raftkv.raft.RaftMessage.InstallSnapshot;
import io.raftkv.raft.RaftMessage.InstallSnapshotResult;
import io.raftkv.raft.RaftMessage.RequestVote;
import io.raftkv.raft.RaftMessage.TimeoutNow;
import io.raftkv.raft.RaftNode.NotLeader;
import io.raftkv.raft.rules.AppendRules;

/** A follower stores what the leader sends, votes, and starts an election when the leader falls silent (§5.2). */
final class Follower extends Role {

  Follower(RaftCore core) {
    super(core);
    core.electionTimer.reset();
  }

  @Override
  RaftNode.Role kind() {
    return RaftNode.Role.FOLLOWER;
  }

  @Override
  boolean inLease() {
    return core.settings.checkQuorum() && core.leaderId() != 0 && core.electionTimer.withinLease();
  }

  @Override
  Role onTick() {
    if (!core.electionTimer.tick()) return this;
    if (core.isVoter(core.id)) return Candidate.start(core, core.settings.preVote(), false);
    core.electionTimer.reset(); // a learner, or a node no longer (or not yet) in the configuration, never campaigns
    return this;
  }

  @Override
  Role onPropose(StateMachineCommand command, Replier replyTo) {
    core.answer(replyTo, new NotLeader(core.leaderId()));
    return this;
  }

  @Override
  Role onRead(StateMachineCommand query, Replier replyTo) {
    if (core.settings.staleFollowerReadsForTests()) {
      core.serveRead(query, replyTo); // the broken rule: no ReadIndex, possibly stale
      return this;
    }
    return super.onRead(query, replyTo);
  }

  @Override
  Role onCurrentTermMessage(RaftMessage m) {
    if (m instanceof AppendEntries ae) {
      onAppendEntries(ae);
    } else if (m instanceof InstallSnapshot is) {
      onInstallSnapshot(is);
    } else if (m instanceof RequestVote rv) {
      onRequestVote(rv);
    } else if (m instanceof RaftMessage.Heartbeat hb) {
      core.setLeader(hb.leaderId());
      core.electionTimer.reset();
      core.commitTo(hb.commitIndex()); // the leader sends only what this node is known to store
      core.send(hb.leaderId(), new RaftMessage.HeartbeatResult(core.currentTerm(), core.id, hb.readRound()));
    } else if (m instanceof RaftMessage.Removed r) {
      if (r.leaderId() != core.leaderId() && !core.isVoter(r.leaderId()) && core.voterCount() > 0) {
        // Only a leader removes a member: the one this node follows in this term, or else one it knows as a voter (a
        // leader hands leadership over before it removes itself). A node that knows no voters (it was wiped, or is
        // joining) cannot tell, and believes it. Anyone else cannot stop this node.
        core.observer.peerMessageInvalid(core.id, r.leaderId(), "Removed", "node " + r.leaderId()
            + " is neither the leader this node follows nor a voter here, and cannot remove it");
        return this;
      }
      core.setLeader(r.leaderId());
      core.markRemoved(r.configurationIndex());
    } else if (m instanceof TimeoutNow && core.isVoter(core.id)) {
      return Candidate.start(core, false, true);
    }
    return this; // vote and append results are late answers to a role this node has left
  }

  private void onAppendEntries(AppendEntries ae) {
    core.setLeader(ae.leaderId());
    core.electionTimer.reset();
    AppendRules.Outcome outcome = AppendRules.apply(core.log, core.commitIndex(), ae.prevLogIndex(), ae.prevLogTerm(), ae.entries());
    long term = core.currentTerm();
    if (outcome instanceof AppendRules.Rejected r) {
      core.sendWhenDurable(ae.leaderId(), new AppendEntriesResult(term, core.id, false, ae.prevLogIndex(), r.conflictIndex(), r.conflictTerm()));
    } else if (outcome instanceof AppendRules.Accepted a) {
      core.recordFollowerAppend(a.truncatedFrom(), a.appended());
      // Only entries known to match the leader may be committed: those up to this request's last.
      core.commitTo(Math.min(ae.leaderCommit(), a.matchIndex()));
      core.sendWhenDurable(ae.leaderId(), new AppendEntriesResult(term, core.id, true, a.matchIndex(), 0, 0));
    } else if (outcome instanceof AppendRules.Impossible i) {
      core.observer.peerMessageInvalid(core.id, ae.leaderId(), "AppendEntries", i.reason());
    }
  }

  private void onInstallSnapshot(InstallSnapshot is) {
    core.setLeader(is.leaderId());
    core.electionTimer.reset();
    long term = core.currentTerm();
    if (is.lastIncludedIndex() <= core.commitIndex()) {
      // Everything it covers is committed here already.
      core.sendWhenDurable(is.leaderId(), new InstallSnapshotResult(term, core.id, is.lastIncludedIndex(), 0, true));
      return;
    }
    core.receiveSnapshotChunk(is); // the shell stores it and steps the outcome (Input.SnapshotChunkStored or SnapshotInstalled)
  }
}
