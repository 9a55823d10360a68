package io.raftkv.raft.core;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.persistence.raftlog.Noop;
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
import io.raftkv.raft.RaftNode.Refused;
import io.raftkv.raft.rules.AppendRules;
import io.raftkv.raft.rules.CommitRules;
import io.raftkv.raft.rules.Progress;
import io.raftkv.raft.rules.ReadIndexQueue;
import io.raftkv.persistence.snapshot.SnapshotRef;
import io.raftkv.raft.rules.Quorum;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The leader accepts proposals, replicates its log to each follower (pipelined, batched) and
 * commits by majority (§5.3, §5.4). Replication of a proposal starts at once, not at the next
 * heartbeat: a proposal asks for one {@link Input.Replicate} ({@link Ready#replicateSoon()}), so
 * every proposal already queued in the mailbox goes out in the same AppendEntries.
 */
final class Leader extends Role {
  private record PendingRead(StateMachineCommand query, Replier replyTo) {}

  private final TreeMap<Integer, Progress> progress = new TreeMap<>(); // by follower id
  private final long termStartBatch; // the first batch holding this term's entries
  private long selfMatch; // the highest index of this term's log that is durable here
  private int heartbeatElapsedTicks;
  private int quorumCheckElapsedTicks;
  private boolean replicateScheduled;
  private int transferTarget; // follower to hand leadership to once it is up to date, or 0
  private final ReadIndexQueue<PendingRead> reads; // linearizable reads waiting for their round
  private final TreeMap<Integer, Long> readRoundAcked = new TreeMap<>(); // by follower: highest read round answered
  private int readRoundElapsedTicks;
  private long ticks; // ticks since this node became leader
  private final TreeMap<Integer, Long> heardAtTick = new TreeMap<>(); // by follower: the tick of its last answer
  private final LearnerPromotion promotion;
  private final TreeMap<Integer, Long> heardIncarnations = new TreeMap<>(); // members known by id only: the incarnation they sent, to record

  private Leader(RaftCore core) {
    super(core);
    core.setLeader(core.id);
    reads = new ReadIndexQueue<>(core.settings.readsPendingMax());
    promotion = new LearnerPromotion(core.settings.membership());
    addProgressForNewMembers();
    core.observer.becameLeader(core.id, core.currentTerm(), core.log);
    // §8 / dissertation §6.4: an entry of the new term commits everything before it. The first
    // leader of a cluster makes it the configuration with the cluster's new id: the same voters,
    // so it is safe whatever the log holds (no quorum changes), and it costs no extra entry.
    Configuration current = core.configuration();
    core.appendAsLeader(current.clusterId() == 0 ? current.withClusterId(core.newClusterId()) : Noop.INSTANCE);
    termStartBatch = core.requiredBatch();
    heardFrom(core.id, core.settings.incarnation()); // its own directory is recorded like the others'
  }

  static Role start(RaftCore core) {
    Leader leader = new Leader(core);
    for (int peer : leader.progress.keySet()) leader.sendAppend(peer);
    return leader.maybeCommit();
  }

  @Override
  RaftNode.Role kind() {
    return RaftNode.Role.LEADER;
  }

  @Override
  boolean inLease() {
    return true;
  }

  @Override
  void leave() {
    core.abandonProposals("leadership lost in term " + core.currentTerm());
    for (PendingRead r : reads.drainAll()) core.answer(r.replyTo(), new RaftNode.NotLeader(0)); // nothing happened: retry elsewhere
  }

  @Override
  Role onTick() {
    ticks++;
    for (Map.Entry<Integer, Progress> e : progress.entrySet()) {
      if (e.getValue().tickAndCheckLost(core.settings.resendTicks())) sendAppend(e.getKey());
    }
    if (reads.inFlightRound() != 0 && ++readRoundElapsedTicks >= core.settings.resendTicks()) {
      readRoundElapsedTicks = 0;
      sendReadHeartbeats(reads.inFlightRound()); // a heartbeat or its answer was lost
    }
    if (++heartbeatElapsedTicks >= core.settings.heartbeatTicks()) {
      heartbeatElapsedTicks = 0;
      for (Map.Entry<Integer, Progress> e : progress.entrySet()) {
        if (e.getValue().canSend()) sendAppend(e.getKey());
      }
    }
    if (core.settings.checkQuorum() && ++quorumCheckElapsedTicks >= core.settings.electionTicksMin()) {
      quorumCheckElapsedTicks = 0;
      int active = core.isVoter(core.id) ? 1 : 0;
      for (Map.Entry<Integer, Progress> e : progress.entrySet()) {
        if (e.getValue().takeRecentActive() && core.isVoter(e.getKey())) active++;
      }
      if (active < Quorum.majority(core.voterCount())) {
        leave(); // check-quorum: a leader cut off from a majority steps down (dissertation §6.2)
        core.setLeader(0);
        return new Follower(core);
      }
    }
    dropRemovedMembers();
    int due = promotion.tick(core.configuration(), this::matchIndex, core.log.lastIndex());
    if (due != 0 && configurationChangeBlocked() == null) change(new ConfigurationChange.Promote(due), NO_ONE);
    if (!heardIncarnations.isEmpty() && transferTarget == 0 && configurationChangeBlocked() == null) {
      change(new ConfigurationChange.Register(heardIncarnations), NO_ONE);
      heardIncarnations.clear();
    }
    return this;
  }

  /**
   * A message from member {@code from}'s data directory {@code incarnation} counted: if the
   * configuration knows the member by id only, the leader records the incarnation (once no other
   * change is under way), so that a wiped directory is refused from then on.
   */
  void heardFrom(int from, long incarnation) {
    if (incarnation == 0) return;
    Member m = core.configuration().member(from);
    if (m != null && m.incarnation() == 0) heardIncarnations.put(from, incarnation);
  }

  /** Answers nobody: a change the leader makes on its own. */
  private static final Replier NO_ONE = reply -> {};

  Map<Integer, Long> matchIndexes() {
    Map<Integer, Long> out = new TreeMap<>();
    for (Map.Entry<Integer, Progress> e : progress.entrySet()) out.put(e.getKey(), e.getValue().matchIndex());
    return Map.copyOf(out);
  }

  private long matchIndex(long member) {
    Progress pr = progress.get((int) member);
    return pr == null ? 0 : pr.matchIndex();
  }

  /**
   * Why no configuration change may start now, or null: one at a time (the last must be
   * committed), and only once this leader has committed an entry of its term (dissertation §4.1's
   * fix: otherwise a change of an earlier leader, not yet known to be committed, and this one could
   * make two disjoint majorities).
   */
  private String configurationChangeBlocked() {
    if (core.log.termAt(core.commitIndex()) != core.currentTerm()) {
      return "this leader has not yet committed an entry of its term; retry shortly";
    }
    if (core.configurationIndex() > core.commitIndex()) {
      return "the configuration change at index " + core.configurationIndex() + " is not committed yet; one change at a time";
    }
    return null;
  }

  @Override
  Role onChangeConfiguration(ConfigurationChange change, Replier replyTo) {
    String blocked = configurationChangeBlocked();
    if (blocked != null) {
      core.answer(replyTo, new Refused(blocked));
      return this;
    }
    change(change, replyTo);
    return this;
  }

  private void change(ConfigurationChange change, Replier replyTo) {
    MembershipRules.Outcome outcome = MembershipRules.decide(core.configuration(), change, core.id, reachableVoters());
    if (outcome instanceof MembershipRules.Refused r) {
      core.answer(replyTo, new Refused(r.reason()));
    } else if (outcome instanceof MembershipRules.HandOverFirst) {
      int target = handOverTarget();
      if (target == 0) {
        core.answer(replyTo, new Refused("no other voter is reachable and caught up to hand leadership to; retry"));
        return;
      }
      transferTarget = target;
      maybeTransfer();
      core.answer(replyTo, new RaftNode.NotLeader(target)); // the next leader removes this node
    } else if (outcome instanceof MembershipRules.Changed c) {
      // An id added is no member now; what this leader still holds of it is of a removed node not
      // yet dropped (it answered within two election timeouts), not of this new, empty one.
      if (change instanceof ConfigurationChange.Add add) forget(add.member().id());
      long index = core.appendAsLeader(c.next());
      core.awaitCommit(index, replyTo);
      for (int added : addProgressForNewMembers()) sendAppend(added); // a probe: its answer says where the new member's log ends
      replicateNow();
    }
  }

  /**
   * The members that count toward a quorum at once: this node, and the followers heard from within
   * an election timeout whose log trails by at most learner-trailing-entries-max entries.
   */
  private Set<Integer> reachableVoters() {
    Set<Integer> reachable = new TreeSet<>();
    reachable.add(core.id);
    long caughtUp = core.log.lastIndex() - core.settings.membership().learnerTrailingEntriesMax();
    for (Map.Entry<Integer, Progress> e : progress.entrySet()) {
      Long heard = heardAtTick.get(e.getKey());
      if (heard != null && ticks - heard <= core.settings.electionTicksMin() && e.getValue().matchIndex() >= caughtUp) reachable.add(e.getKey());
    }
    return reachable;
  }

  /** The reachable voter with the longest log, to hand leadership to; 0 if none. */
  private int handOverTarget() {
    int best = 0;
    long bestMatch = -1;
    for (int id : reachableVoters()) {
      if (id == core.id || !core.isVoter(id)) continue;
      long match = progress.get(id).matchIndex();
      if (match > bestMatch) {
        best = id;
        bestMatch = match;
      }
    }
    return best;
  }

  /** Starts replicating to the members the configuration in force added; returns their ids. */
  private List<Integer> addProgressForNewMembers() {
    List<Integer> added = new java.util.ArrayList<>();
    for (int peer : core.peerIds()) {
      if (progress.containsKey(peer)) continue;
      progress.put(peer, new Progress(core.log.lastIndex() + 1, core.settings.inflightAppendsMax()));
      added.add(peer);
    }
    return added;
  }

  /**
   * Once the configuration in force is committed, stops replicating to the members it removed:
   * each as soon as it holds the configuration entry, telling it it was removed; one that stays
   * silent for two election timeouts (it is down) is dropped without being told.
   */
  private void dropRemovedMembers() {
    if (core.configurationIndex() > core.commitIndex()) return;
    for (int id : List.copyOf(progress.keySet())) {
      if (core.configuration().contains(id)) continue;
      Progress pr = progress.get(id);
      Long heard = heardAtTick.get(id);
      boolean holdsRemoval = pr.matchIndex() >= core.configurationIndex();
      boolean silent = heard == null ? ticks > 2L * core.settings.electionTicksMin() : ticks - heard > 2L * core.settings.electionTicksMin();
      if (!holdsRemoval && !silent) continue;
      if (holdsRemoval) core.send(id, new RaftMessage.Removed(core.currentTerm(), core.id, core.configurationIndex()));
      forget(id);
    }
  }

  /** Stops replicating to {@code id} and forgets what it acknowledged and which data directory it sent from. */
  private void forget(int id) {
    progress.remove(id);
    readRoundAcked.remove(id);
    heardAtTick.remove(id);
    heardIncarnations.remove(id);
  }

  private void replicateNow() {
    if (!replicateScheduled) {
      replicateScheduled = true;
      core.replicateSoon();
    }
  }

  @Override
  Role onPropose(StateMachineCommand command, Replier replyTo) {
    if (core.proposalsPending() >= core.settings.proposalsPendingMax()) {
      core.answer(replyTo, new Refused("proposals-pending-max (" + core.settings.proposalsPendingMax() + ") reached"));
      return this;
    }
    // The first proposal always fits, so a command at the value limit is never refused for its size alone.
    if (core.proposalsPending() > 0 && core.proposalsPendingBytes() + command.sizeBytes() > core.settings.proposalsPendingBytesMax()) {
      core.answer(replyTo, new Refused("proposals-pending-bytes-max (" + core.settings.proposalsPendingBytesMax() + " bytes) reached"));
      return this;
    }
    long index = core.appendAsLeader(command);
    core.awaitCommit(index, replyTo);
    replicateNow();
    return this;
  }

  @Override
  Role onRead(StateMachineCommand query, Replier replyTo) {
    if (!reads.add(new PendingRead(query, replyTo))) {
      core.answer(replyTo, new Refused("reads-pending-max (" + core.settings.readsPendingMax() + ") reached"));
      return this;
    }
    startReadRound();
    return this;
  }

  /**
   * Starts a read round when reads wait and none is in flight, but only once this leader has
   * committed an entry of its term: until then its commit index may lag what an earlier leader
   * committed, and would be no valid read index.
   */
  private void startReadRound() {
    if (core.log.termAt(core.commitIndex()) != core.currentTerm()) return;
    long round = reads.maybeStartRound(core.commitIndex());
    if (round == 0) return;
    readRoundElapsedTicks = 0;
    core.observer.readRoundStarted(core.id, round, core.commitIndex(), reads.readsInRound(round));
    sendReadHeartbeats(round);
    checkReadQuorum(); // a single-node cluster confirms at once
  }

  private void sendReadHeartbeats(long round) {
    for (Map.Entry<Integer, Progress> e : progress.entrySet()) {
      long commit = Math.min(core.commitIndex(), e.getValue().matchIndex());
      core.send(e.getKey(), new RaftMessage.Heartbeat(core.currentTerm(), core.id, commit, round));
    }
  }

  private void onHeartbeatResult(RaftMessage.HeartbeatResult r) {
    Progress pr = progress.get(r.followerId());
    if (pr == null) return;
    heardAtTick.put(r.followerId(), ticks);
    if (pr.heardFrom()) sendAppend(r.followerId()); // a silent follower is back: send it what it needs
    readRoundAcked.merge(r.followerId(), r.readRound(), Math::max);
    checkReadQuorum();
  }

  private void checkReadQuorum() {
    List<Integer> voters = core.voterIds();
    long[] acked = new long[voters.size()];
    int i = 0;
    for (int voter : voters) {
      acked[i++] = voter == core.id ? reads.inFlightRound() : readRoundAcked.getOrDefault(voter, 0L); // this node is in its own round
    }
    long inFlight = reads.inFlightRound();
    reads.quorumReached(io.raftkv.raft.rules.Quorum.majorityMatchIndex(acked));
    if (inFlight != 0 && reads.inFlightRound() == 0) core.observer.readRoundConfirmed(core.id, core.currentTerm(), inFlight);
    serveReads();
    startReadRound();
  }

  private void serveReads() {
    for (PendingRead r : reads.takeServable(core.lastApplied())) core.serveRead(r.query(), r.replyTo());
  }

  @Override
  Role onReplicate() {
    replicateScheduled = false;
    for (int peer : progress.keySet()) sendAvailable(peer);
    return maybeCommit(); // a single-node cluster commits on durability alone
  }

  @Override
  Role onDurable() {
    if (core.durableBatch() >= termStartBatch) selfMatch = Math.max(selfMatch, core.durableLastIndex());
    return maybeCommit();
  }

  @Override
  Role onTransferLeadership(int targetId) {
    if (progress.containsKey(targetId) && core.isVoter(targetId)) {
      transferTarget = targetId;
      maybeTransfer();
    }
    return this;
  }

  @Override
  Role onCurrentTermMessage(RaftMessage m) {
    if (m instanceof AppendEntriesResult r) {
      return onAppendResult(r);
    } else if (m instanceof InstallSnapshotResult r) {
      onSnapshotResult(r);
    } else if (m instanceof RaftMessage.HeartbeatResult r) {
      onHeartbeatResult(r);
    } else if (m instanceof RequestVote rv) {
      onRequestVote(rv);
    } else if (m instanceof AppendEntries || m instanceof InstallSnapshot || m instanceof RaftMessage.Heartbeat || m instanceof RaftMessage.Removed) {
      // Election Safety: a correct node never sends this; refused, so that no peer can stop a leader with it.
      core.observer.peerMessageInvalid(core.id, m.from(), m.getClass().getSimpleName(),
          "node " + m.from() + " claims to lead term " + m.term() + ", which this node leads");
    }
    return this;
  }

  private Role onAppendResult(AppendEntriesResult r) {
    Progress pr = progress.get(r.followerId());
    if (pr == null) return this;
    if (r.matchIndex() > core.log.lastIndex()) {
      // This leader sent nothing past its log (a leader never truncates it), so no correct follower answers this.
      core.observer.peerMessageInvalid(core.id, r.followerId(), "AppendEntriesResult",
          "index " + r.matchIndex() + " is past this leader's last index " + core.log.lastIndex());
      return this;
    }
    heardAtTick.put(r.followerId(), ticks);
    if (r.success()) {
      if (pr.acknowledged(r.matchIndex())) {
        Role next = maybeCommit();
        if (next != this) return next;
        maybeTransfer();
      }
      if (progress.containsKey(r.followerId())) sendAvailable(r.followerId()); // unless it was removed just now
    } else if (pr.rejected(r.matchIndex(), AppendRules.nextIndexFromHints(core.log, r.conflictIndex(), r.conflictTerm()))) {
      sendAppend(r.followerId());
    }
    return this;
  }

  private void onSnapshotResult(InstallSnapshotResult r) {
    Progress pr = progress.get(r.followerId());
    if (pr == null) return;
    SnapshotRef file = core.snapshotFile();
    String impossible = r.lastIncludedIndex() > core.log.lastIndex()
        ? "snapshot index " + r.lastIncludedIndex() + " is past this leader's last index " + core.log.lastIndex()
        : !r.installed() && file != null && r.lastIncludedIndex() == file.index() && r.nextOffset() > file.sizeBytes()
            ? "offset " + r.nextOffset() + " is past the end of snapshot " + file.index() + " (" + file.sizeBytes() + " bytes)"
            : null;
    if (impossible != null) {
      core.observer.peerMessageInvalid(core.id, r.followerId(), "InstallSnapshotResult", impossible);
      return;
    }
    heardAtTick.put(r.followerId(), ticks);
    if (r.installed()) {
      pr.snapshotInstalled(r.lastIncludedIndex());
      sendAvailable(r.followerId());
    } else if (pr.state() == Progress.State.SNAPSHOT && r.lastIncludedIndex() == pr.snapshotIndex()) {
      pr.snapshotProgress(r.nextOffset(), r.round());
      sendSnapshotChunks(r.followerId(), pr);
    }
  }

  /** Sends while the follower's window has room and there is something to send. */
  private void sendAvailable(int peer) {
    Progress pr = progress.get(peer);
    while (pr.canSend() && pr.nextIndex() <= core.log.lastIndex()) sendAppend(peer);
  }

  /** Sends the follower its next AppendEntries (a heartbeat when there is nothing new), or the snapshot when the entries it needs are compacted. */
  private void sendAppend(int peer) {
    Progress pr = progress.get(peer);
    if (pr.silent()) {
      // It answered nothing since its last append or chunk was lost: ask whether it is there first.
      core.send(peer, new RaftMessage.Heartbeat(core.currentTerm(), core.id, Math.min(core.commitIndex(), pr.matchIndex()), 0));
      pr.probedSilently();
      return;
    }
    if (pr.state() == Progress.State.SNAPSHOT) {
      sendSnapshotChunks(peer, pr);
      return;
    }
    if (pr.nextIndex() <= core.log.snapshotIndex()) {
      pr.startSnapshot(core.log.snapshotIndex());
      sendSnapshotChunks(peer, pr);
      return;
    }
    long prev = pr.nextIndex() - 1;
    List<LogEntry> entries = pr.nextIndex() <= core.log.lastIndex()
        ? core.log.slice(pr.nextIndex(), core.settings.appendEntriesMax(), core.settings.appendBytesMax())
        : List.of();
    core.send(peer, new AppendEntries(core.currentTerm(), core.id, prev, core.log.termAt(prev), entries, core.commitIndex()));
    pr.sent(prev + entries.size());
    if (!entries.isEmpty()) core.observer.appendSent(core.id, peer, core.currentTerm(), prev, entries);
  }

  /**
   * Streams the snapshot file to a follower: chunks go out while fewer than
   * {@code snapshot-chunks-inflight-max} are unanswered, each read from the file by the shell when
   * sent, so memory holds a few chunks whatever the snapshot's size.
   */
  private void sendSnapshotChunks(int peer, Progress pr) {
    SnapshotRef file = core.snapshotFile();
    if (file == null) return; // the log's snapshot is inline (older build): a file of it is being written
    if (pr.snapshotIndex() != file.index()) pr.startSnapshot(file.index()); // a newer snapshot replaced it
    while (pr.snapshotChunksInflight() < core.settings.snapshotChunksInflightMax() && pr.snapshotOffset() < file.sizeBytes()) {
      long offset = pr.snapshotOffset();
      int length = (int) Math.min(core.settings.snapshotChunkBytes(), file.sizeBytes() - offset);
      core.sendSnapshotChunk(new Ready.SnapshotChunk(peer, core.currentTerm(), core.id, file, core.configurations.at(file.index()), offset, length,
          pr.snapshotRound()));
      pr.snapshotChunkSent(length);
    }
  }

  private Role maybeCommit() {
    List<Integer> voters = core.voterIds();
    long[] matches = new long[voters.size()];
    int i = 0;
    for (int voter : voters) matches[i++] = voter == core.id ? selfMatch : matchIndex(voter);
    core.commitTo(CommitRules.advance(core.commitIndex(), matches, core.log, core.currentTerm()));
    dropRemovedMembers();
    if (!core.configuration().contains(core.id) && core.configurationIndex() <= core.commitIndex()) {
      // Dissertation §4.2.2: a leader whose removal committed steps down; it is no longer a member.
      core.markRemoved(core.configurationIndex());
      leave();
      core.setLeader(0);
      return new Follower(core);
    }
    serveReads(); // the state machine may have reached a read index
    startReadRound(); // the first entry of this term may just have committed
    return this;
  }

  private void maybeTransfer() {
    if (transferTarget == 0) return;
    Progress pr = progress.get(transferTarget);
    if (pr == null) {
      transferTarget = 0; // no longer a member
      return;
    }
    if (pr.matchIndex() == core.log.lastIndex()) {
      core.send(transferTarget, new TimeoutNow(core.currentTerm(), core.id));
      transferTarget = 0;
    }
  }
}
