package io.raftkv.raft.core;

import static io.raftkv.raft.core.CoreHarness.leader;
import static io.raftkv.raft.core.CoreHarness.persistAll;
import static io.raftkv.raft.core.CoreHarness.recipients;
import static io.raftkv.raft.core.CoreHarness.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.persistence.raftlog.Noop;
import io.raftkv.persistence.raftlog.RaftLogEvent;
import io.raftkv.persistence.raftlog.RaftLogState;
import io.raftkv.persistence.snapshot.SnapshotRef;
import io.raftkv.raft.MembershipSettings;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftMessage.AppendEntries;
import io.raftkv.raft.RaftMessage.AppendEntriesResult;
import io.raftkv.raft.RaftMessage.HeartbeatResult;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import io.raftkv.raft.RaftSettings;
import io.raftkv.raft.sim.TestCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Configuration changes in the core, one server at a time (dissertation §4.1), with learners. */
@DisplayName("dissertation §4 membership changes: one server at a time, learners, quorum kept")
class MembershipTest {
  private final List<RaftNode.ClientReply> replies = new ArrayList<>();

  private static Member learner(int id) {
    return new Member(id, "127.0.0.1", 25520 + id, 8080 + id, 1000 + id, false, true);
  }

  private Ready change(RaftCore c, ConfigurationChange change) {
    return c.step(new Input.ChangeConfiguration(change, replies::add));
  }

  /** Commits everything the leader has: its own batches persisted, the voters 2 and 3 acknowledging its last index. */
  private static void commitAll(RaftCore c, Ready r) {
    persistAll(c, r);
    for (int v : List.of(2, 3)) c.step(new Input.Message(new AppendEntriesResult(c.currentTerm(), v, true, c.lastIndex(), 0, 0)));
    assertEquals(c.lastIndex(), c.commitIndex());
  }

  @Test
  @DisplayName("§4.1 a configuration takes effect on the leader as soon as it is appended, and the new member is replicated to")
  void aConfigurationTakesEffectWhenAppended() {
    RaftCore l = leader();
    Ready r = change(l, new ConfigurationChange.Add(learner(4)));
    assertEquals(List.of(1, 2, 3), l.configuration().voters());
    assertEquals(List.of(4), l.configuration().learners());
    assertTrue(l.commitIndex() < l.configurationIndex(), "in force before it commits");
    assertEquals(List.of(4), recipients(r, AppendEntries.class), "the new member is probed at once");
    assertTrue(r.replicateSoon());
    Ready sent = l.step(Input.Replicate.INSTANCE);
    assertEquals(List.of(2, 3), recipients(sent, AppendEntries.class), "the configuration entry goes to the voters");
    persistAll(l, sent);
    Ready committed = Ready.NOTHING;
    for (int v : List.of(2, 3)) committed = l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), v, true, l.lastIndex(), 0, 0)));
    Ready.Apply applied = committed.committed().get(committed.committed().size() - 1);
    assertEquals(l.configuration(), applied.entry().command());
    assertTrue(applied.proposer() != null, "the change's proposer is answered once it is applied");
  }

  @Test
  @DisplayName("§4.1 one change at a time: a second change while the first is uncommitted is refused")
  void oneChangeAtATime() {
    RaftCore l = leader();
    change(l, new ConfigurationChange.Add(learner(4)));
    Ready second = change(l, new ConfigurationChange.Add(learner(5)));
    RaftNode.Refused refused = assertInstanceOf(RaftNode.Refused.class, second.answers().get(0).reply());
    assertTrue(refused.reason().contains("one change at a time"), refused.reason());
    assertFalse(l.configuration().contains(5));
  }

  @Test
  @DisplayName("§4.1's fix: a new leader makes no change before it has committed an entry of its term")
  void aNewLeaderCommitsItsTermFirst() {
    RaftCore c = CoreHarness.core(1, 7);
    Ready r = Ready.NOTHING;
    for (int i = 0; i < 1_000 && sent(r, RaftMessage.RequestVote.class).isEmpty(); i++) r = c.step(Input.Tick.INSTANCE);
    long preVoteTerm = sent(r, RaftMessage.RequestVote.class).get(0).term();
    r = c.step(new Input.Message(new RaftMessage.RequestVoteResult(preVoteTerm, 2, true, true)));
    r = c.step(new Input.Persisted(r.persist().batch()));
    c.step(Input.Message.own(r.messages().stream().filter(o -> o.to() == 1).findFirst().orElseThrow().message()));
    c.step(new Input.Message(new RaftMessage.RequestVoteResult(c.currentTerm(), 2, true, false)));
    assertEquals(RaftNode.Role.LEADER, c.role());
    assertTrue(c.commitIndex() < c.lastIndex(), "its no-op is not committed yet");

    Ready refused = change(c, new ConfigurationChange.Add(learner(4)));
    RaftNode.Refused why = assertInstanceOf(RaftNode.Refused.class, refused.answers().get(0).reply());
    assertTrue(why.reason().contains("entry of its term"), why.reason());
    assertFalse(c.configuration().contains(4));
  }

  @Test
  @DisplayName("§4.2.1 a learner's acknowledgement never counts toward a commit")
  void learnersDoNotCountTowardTheQuorum() {
    RaftCore l = leader();
    commitAll(l, change(l, new ConfigurationChange.Add(learner(4))));
    Ready proposed = l.step(new Input.Propose(new TestCommand(1), replies::add));
    persistAll(l, l.step(Input.Replicate.INSTANCE));
    persistAll(l, proposed);
    long index = l.lastIndex();
    l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), 4, true, index, 0, 0)));
    assertTrue(l.commitIndex() < index, "the leader and a learner are not a majority of three voters");
    l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), 2, true, index, 0, 0)));
    assertEquals(index, l.commitIndex(), "the leader and voter 2 are");
  }

  @Test
  @DisplayName("§4.2.1 a learner never campaigns, however long it hears nothing")
  void aLearnerNeverCampaigns() {
    Configuration withLearner = Configuration.bootstrap(List.of(1, 2, 3)).with(learner(4));
    RaftLogState recovered = RaftLogState.of(1, 0, null, List.of(new LogEntry(1, 1, withLearner)));
    RaftCore c = new RaftCore(RaftSettings.defaults(4, List.of(1, 2, 3)), recovered, new Random(3), RaftObserver.NONE);
    for (int i = 0; i < 10_000; i++) {
      Ready r = c.step(Input.Tick.INSTANCE);
      assertEquals(List.of(), r.messages(), "tick " + i);
    }
    assertEquals(RaftNode.Role.FOLLOWER, c.role());
    assertEquals(1, c.currentTerm());
  }

  @Test
  @DisplayName("a change that would lose the quorum is refused; the same change of another member is not")
  void aChangeThatLosesTheQuorumIsRefused() {
    RaftCore l = leader();
    // Node 3 falls silent; node 2 keeps answering.
    for (int i = 0; i <= RaftSettings.defaults(1, CoreHarness.VOTERS).electionTicksMin(); i++) {
      l.step(Input.Tick.INSTANCE);
      l.step(new Input.Message(new HeartbeatResult(l.currentTerm(), 2, 0)));
    }
    assertEquals(RaftNode.Role.LEADER, l.role());
    Ready removeLive = change(l, new ConfigurationChange.Remove(2));
    RaftNode.Refused why = assertInstanceOf(RaftNode.Refused.class, removeLive.answers().get(0).reply());
    assertTrue(why.reason().contains("would lose the quorum"), why.reason());
    assertTrue(l.configuration().contains(2));

    Ready removeSilent = change(l, new ConfigurationChange.Remove(3));
    assertEquals(List.of(), removeSilent.answers());
    assertEquals(List.of(1, 2), l.configuration().voters(), "the silent node is removed: 1 and 2 are a quorum of two");
  }

  @Test
  @DisplayName("removing the leader hands leadership to a caught-up voter first")
  void removingTheLeaderHandsOver() {
    RaftCore l = leader();
    Ready r = change(l, new ConfigurationChange.Remove(1));
    RaftNode.NotLeader hint = assertInstanceOf(RaftNode.NotLeader.class, r.answers().get(0).reply());
    assertTrue(List.of(2, 3).contains(hint.leaderHint()), hint.toString());
    assertEquals(List.of(hint.leaderHint()), recipients(r, RaftMessage.TimeoutNow.class), "the target is caught up: told to stand now");
    assertEquals(List.of(1, 2, 3), l.configuration().voters(), "nothing appended: the next leader removes node 1");
  }

  @Test
  @DisplayName("a learner that stays caught up for the stabilization period is promoted by the leader on its own")
  void aCaughtUpLearnerIsPromoted() {
    RaftSettings settings = RaftSettings.defaults(1, CoreHarness.VOTERS).withMembership(new MembershipSettings(5, 0));
    RaftCore l = CoreHarness.elect(CoreHarness.core(settings, 7), List.of(2, 3));
    commitAll(l, change(l, new ConfigurationChange.Add(learner(4))));
    int ticks = 0;
    while (!l.configuration().isVoter(4) && ticks < 100) {
      l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), 4, true, l.commitIndex(), 0, 0)));
      l.step(Input.Tick.INSTANCE);
      ticks++;
    }
    assertEquals(List.of(1, 2, 3, 4), l.configuration().voters());
    assertEquals(5, ticks, "promoted after exactly the stabilization period");
  }

  @Test
  @DisplayName("a learner added to stay one is never promoted")
  void aStayingLearnerIsNotPromoted() {
    RaftSettings settings = RaftSettings.defaults(1, CoreHarness.VOTERS).withMembership(new MembershipSettings(5, 0));
    RaftCore l = CoreHarness.elect(CoreHarness.core(settings, 7), List.of(2, 3));
    Member staying = new Member(4, "127.0.0.1", 25524, 8084, 1004, false, false);
    commitAll(l, change(l, new ConfigurationChange.Add(staying)));
    for (int i = 0; i < 50; i++) {
      l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), 4, true, l.commitIndex(), 0, 0)));
      l.step(Input.Tick.INSTANCE);
    }
    assertEquals(List.of(4), l.configuration().learners());
  }

  @Test
  @DisplayName("§4.1 when the entries holding a configuration are truncated, the configuration before them holds again")
  void truncationRevertsTheConfiguration() {
    RaftCore f = CoreHarness.core(2, 1);
    Configuration withLearner = Configuration.bootstrap(List.of(1, 2, 3)).with(learner(4));
    f.step(new Input.Message(new AppendEntries(1, 1, 0, 0, List.of(new LogEntry(1, 1, Noop.INSTANCE), new LogEntry(2, 1, withLearner)), 1)));
    assertTrue(f.configuration().contains(4), "in force once appended");
    f.step(new Input.Message(new AppendEntries(2, 3, 1, 1, List.of(new LogEntry(2, 2, Noop.INSTANCE)), 1)));
    assertFalse(f.configuration().contains(4), "truncated: back to the bootstrap configuration");
    assertEquals(0, f.configurationIndex());
  }

  @Test
  @DisplayName("a follower knows it was removed when the leader says so, not from its own log")
  void aRemovedFollowerKnowsWhenTheLeaderSaysSo() {
    RaftCore f = CoreHarness.core(3, 1);
    Configuration without3 = Configuration.bootstrap(List.of(1, 2, 3)).without(3);
    f.step(new Input.Message(new AppendEntries(1, 1, 0, 0, List.of(new LogEntry(1, 1, Noop.INSTANCE), new LogEntry(2, 1, without3)), 2)));
    assertEquals(2, f.commitIndex());
    assertFalse(f.removed(), "committed in its log, but a node catching up passes through such configurations");
    f.step(new Input.Message(new RaftMessage.Removed(1, 1, 2)));
    assertTrue(f.removed());
    assertEquals(2, f.removedAt());
  }

  @Test
  @DisplayName("once the removal commits, the leader tells the removed member and stops replicating to it")
  void theLeaderTellsARemovedMember() {
    RaftCore l = leader();
    Ready r = change(l, new ConfigurationChange.Remove(3));
    persistAll(l, l.step(Input.Replicate.INSTANCE));
    persistAll(l, r);
    l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), 2, true, l.lastIndex(), 0, 0)));
    assertEquals(l.lastIndex(), l.commitIndex(), "1 and 2 are a majority of the new voters");
    Ready told = l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), 3, true, l.lastIndex(), 0, 0)));
    assertEquals(List.of(new Ready.Outgoing(3, new RaftMessage.Removed(l.currentTerm(), 1, l.configurationIndex()))),
        told.messages().stream().filter(o -> o.to() == 3).toList());
    for (int i = 0; i < 20; i++) {
      Ready tick = l.step(Input.Tick.INSTANCE);
      assertEquals(List.of(), tick.messages().stream().filter(o -> o.to() == 3).toList(), "nothing more goes to node 3");
    }
  }

  @Test
  @DisplayName("a member removed and added back as a new node is replicated to from nothing, not from what its old incarnation held")
  void aReplacedMemberStartsFromNothing() {
    // Found by KvMembershipCampaignTest (seed 20025): node 3 was removed while down, wiped and added
    // back before the leader dropped it; the leader kept its old match index, took the empty node's
    // rejections for stale ones, and sent it nothing but heartbeats until its next snapshot.
    RaftCore l = leader();
    for (int i = 0; i < 5; i++) persistAll(l, l.step(new Input.Propose(new TestCommand(i), replies::add)));
    commitAll(l, l.step(Input.Replicate.INSTANCE));
    assertEquals(l.lastIndex(), l.matchIndexes().get(3));
    // Node 3 dies; its removal commits with nodes 1 and 2, before the leader drops it as silent.
    persistAll(l, change(l, new ConfigurationChange.Remove(3)));
    persistAll(l, l.step(Input.Replicate.INSTANCE));
    l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), 2, true, l.lastIndex(), 0, 0)));
    assertEquals(l.configurationIndex(), l.commitIndex());
    // Its disk wiped, it is added back under its id as a new learner.
    Ready added = change(l, new ConfigurationChange.Add(learner(3)));
    assertEquals(0L, l.matchIndexes().get(3), "nothing of its old log is assumed");
    assertEquals(List.of(3), recipients(added, AppendEntries.class), "the new member is probed at once");
    long probed = sent(added, AppendEntries.class).get(0).prevLogIndex();
    Ready rejected = l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), 3, false, probed, 1, 0)));
    List<AppendEntries> next = sent(rejected, AppendEntries.class);
    assertEquals(1, next.size(), "its rejection is news: the leader backs up");
    assertEquals(0, next.get(0).prevLogIndex(), "an empty log is sent everything from the first entry");
  }

  @Test
  @DisplayName("§7 the configuration as of a snapshot is recorded with it, and sent with its chunks")
  void aSnapshotKeepsItsConfiguration() {
    RaftCore l = leader();
    Ready added = change(l, new ConfigurationChange.Add(learner(4)));
    AppendEntries probe = sent(added, AppendEntries.class).get(0);
    commitAll(l, added);
    SnapshotRef file = new SnapshotRef(l.commitIndex(), l.termAt(l.commitIndex()), "snap", 100, 7);
    Ready r = l.step(new Input.SnapshotTaken(file));
    List<RaftLogEvent> events = r.persist() != null ? r.persist().events() : persistAll(l, r).persist().events();
    assertTrue(events.contains(new RaftLogEvent.SnapshotConfiguration(file.index(), l.configuration())), events.toString());
    // The new member's log is empty (its answer to the probe says so): the entries it needs are compacted, so it gets the snapshot.
    Ready chunks = l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), 4, false, probe.prevLogIndex(), 1, 0)));
    assertFalse(chunks.snapshotChunks().isEmpty(), "a snapshot chunk goes to node 4: " + chunks);
    Ready.SnapshotChunk chunk = chunks.snapshotChunks().get(0);
    assertEquals(4, chunk.to());
    assertSame(file, chunk.file());
    assertEquals(l.configuration(), chunk.message(new byte[chunk.length()]).configuration());
  }
}
