package io.raftkv.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.RaftLogEvent;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftMessage.AppendEntries;
import io.raftkv.raft.RaftMessage.AppendEntriesResult;
import io.raftkv.raft.RaftMessage.RequestVote;
import io.raftkv.raft.RaftMessage.RequestVoteResult;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.Replier;
import io.raftkv.raft.sim.TestCommand;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The core stepped directly, without an actor: each step's {@link Ready} must say what the
 * paper's rules require, in the order its contract gives.
 */
@DisplayName("the Raft core: each step returns what to persist, send, apply and answer")
class RaftCoreTest {
  private static RaftCore core(int id, long seed) {
    return CoreHarness.core(id, seed);
  }

  private static <M extends RaftMessage> List<M> sent(Ready ready, Class<M> type) {
    return CoreHarness.sent(ready, type);
  }

  private static RaftCore leader() {
    return CoreHarness.leader();
  }

  @Test
  @DisplayName("§5.2/§5.3 respond after storing: a vote is recorded in the step's batch and sent only once that batch is persisted")
  void aVoteWaitsForItsBatch() {
    RaftCore follower = core(2, 1);
    Ready r = follower.step(new Input.Message(new RequestVote(1, 1, 0, 0, false, false)));
    assertNotNull(r.persist());
    assertEquals(List.of(new RaftLogEvent.TermAdvanced(1), new RaftLogEvent.VoteCast(1, 1)), r.persist().events());
    assertEquals(List.of(), r.messages(), "the vote is not sent before it is durable");

    Ready after = follower.step(new Input.Persisted(r.persist().batch()));
    assertEquals(List.of(new Ready.Outgoing(1, new RequestVoteResult(1, 2, true, false))), after.messages());
    assertNull(after.persist(), "nothing new to record");
  }

  @Test
  @DisplayName("§5.3 group commit: what is recorded while a batch is in flight goes in the next batch, once the first is persisted")
  void eventsWaitForTheBatchInFlight() {
    RaftCore follower = core(2, 1);
    Ready first = follower.step(new Input.Message(new RequestVote(1, 1, 0, 0, false, false)));
    Ready second = follower.step(new Input.Message(new RequestVote(2, 3, 0, 0, false, false)));
    assertNull(second.persist(), "batch " + first.persist().batch() + " is in flight");
    Ready released = follower.step(new Input.Persisted(first.persist().batch()));
    assertNotNull(released.persist());
    assertEquals(first.persist().batch() + 1, released.persist().batch());
    assertEquals(List.of(new RaftLogEvent.TermAdvanced(2), new RaftLogEvent.VoteCast(2, 3)), released.persist().events());
    // The first vote (term 1) is released; the second waits for the second batch.
    assertEquals(List.of(new Ready.Outgoing(1, new RequestVoteResult(1, 2, true, false))), released.messages());
    Ready last = follower.step(new Input.Persisted(released.persist().batch()));
    assertEquals(List.of(new Ready.Outgoing(3, new RequestVoteResult(2, 2, true, false))), last.messages());
  }

  @Test
  @DisplayName("§5.3/dissertation §10.2.1: a leader replicates before its own write is durable, and counts itself only once it is")
  void aLeaderCountsItsOwnLogOnlyWhenDurable() {
    RaftCore leader = leader();
    List<RaftNode.ClientReply> replies = new ArrayList<>();
    Replier client = replies::add;
    Ready proposed = leader.step(new Input.Propose(new TestCommand(42), client));
    assertTrue(proposed.replicateSoon(), "the first proposal of a burst asks for one Replicate");
    assertNotNull(proposed.persist());
    long batch = proposed.persist().batch();
    long index = leader.lastIndex();

    Ready replicated = leader.step(Input.Replicate.INSTANCE);
    List<AppendEntries> appends = sent(replicated, AppendEntries.class);
    assertEquals(2, appends.size(), "sent to both followers before the leader's own batch is durable");
    for (AppendEntries ae : appends) assertEquals(index, ae.prevLogIndex() + ae.entries().size());

    Ready acked = leader.step(new Input.Message(new AppendEntriesResult(leader.currentTerm(), 2, true, index, 0, 0)));
    assertEquals(List.of(), acked.committed(), "one follower alone is no majority while the leader's entry is not durable");
    assertTrue(leader.commitIndex() < index);

    Ready durable = leader.step(new Input.Persisted(batch));
    assertEquals(index, leader.commitIndex());
    Ready.Apply last = durable.committed().get(durable.committed().size() - 1);
    assertEquals(index, last.entry().index());
    assertSame(client, last.proposer(), "the proposer is answered once its entry is applied");
    assertEquals(List.of(), replies, "the core answers nothing itself: the shell applies, then replies");
  }

  @Test
  @DisplayName("§5.1 a message of an older term is answered with the current term and changes nothing")
  void anOlderTermIsAnsweredAndIgnored() {
    RaftCore follower = core(2, 1);
    Ready r = follower.step(new Input.Message(new RequestVote(3, 1, 0, 0, false, false)));
    follower.step(new Input.Persisted(r.persist().batch()));
    Ready stale = follower.step(new Input.Message(new AppendEntries(2, 3, 0, 0, List.of(), 0)));
    assertNull(stale.persist());
    assertEquals(List.of(new Ready.Outgoing(3, new AppendEntriesResult(3, 2, false, 0, 0, 0))), stale.messages());
    assertEquals(3, follower.currentTerm());
    assertEquals(0, follower.leaderId(), "a stale leader is not followed");
  }

  @Test
  @DisplayName("§7 a follower hands a snapshot chunk to the shell to store, and acknowledges what the shell stored")
  void aSnapshotChunkGoesThroughTheShell() {
    RaftCore follower = core(2, 1);
    RaftMessage.InstallSnapshot chunk = new RaftMessage.InstallSnapshot(1, 1, 50, 1, 0, new byte[16], false, 64, 0,
        Configuration.bootstrap(List.of(1, 2, 3)));
    Ready r = follower.step(new Input.Message(chunk));
    assertSame(chunk, r.receiveChunk());
    assertEquals(1, follower.leaderId());
    Ready stored = follower.step(new Input.SnapshotChunkStored(chunk, 16));
    List<RaftMessage.InstallSnapshotResult> results = sent(stored, RaftMessage.InstallSnapshotResult.class);
    assertEquals(List.of(new RaftMessage.InstallSnapshotResult(1, 2, 50, 16, false, 0)), results);
  }

  @Test
  @DisplayName("§7 a late answer to an append sent before the snapshot does not stop the leader resending the snapshot's lost chunks")
  void aLateAppendAnswerDoesNotStallTheSnapshot() {
    // Found by KvMembershipCampaignTest (seed 20025): the late answer cleared the resend timer's
    // flag while the chunks were lost, and the follower was never sent anything again but read heartbeats.
    RaftCore leader = leader();
    for (int i = 0; i < 5; i++) CoreHarness.persistAll(leader, leader.step(new Input.Propose(new TestCommand(i), reply -> {})));
    long last = leader.lastIndex();
    leader.step(new Input.Message(new AppendEntriesResult(leader.currentTerm(), 2, true, last, 0, 0)));
    assertEquals(last, leader.commitIndex());
    leader.step(new Input.SnapshotTaken(new io.raftkv.persistence.snapshot.SnapshotRef(last, leader.currentTerm(), "snapshot-" + last + ".snap", 1000, 0)));
    // Node 3 lost its log: the entries it needs are compacted, so it is sent the snapshot; the chunks are lost.
    Ready rejected = leader.step(new Input.Message(new AppendEntriesResult(leader.currentTerm(), 3, false, last, 1, 0)));
    assertTrue(rejected.snapshotChunks().stream().anyMatch(c -> c.to() == 3), "the snapshot goes to node 3: " + rejected);
    // A late answer to the no-op's append, from before the snapshot.
    leader.step(new Input.Message(new AppendEntriesResult(leader.currentTerm(), 3, true, 1, 0, 0)));
    boolean resent = false;
    for (int t = 0; t < 3 * leader.settings.resendTicks() && !resent; t++) {
      Ready tick = leader.step(Input.Tick.INSTANCE);
      resent = tick.snapshotChunks().stream().anyMatch(c -> c.to() == 3)
          || tick.messages().stream().anyMatch(o -> o.to() == 3 && o.message() instanceof RaftMessage.Heartbeat h && h.readRound() == 0);
    }
    assertTrue(resent, "the lost chunks are taken as lost: node 3 is probed, then sent the snapshot again");
  }

  @Test
  @DisplayName("a follower refuses writes and linearizable reads with the leader it knows, without touching the log")
  void aFollowerRefusesClients() {
    RaftCore follower = core(2, 1);
    follower.step(new Input.Message(new AppendEntries(1, 1, 0, 0, List.of(), 0)));
    List<RaftNode.ClientReply> replies = new ArrayList<>();
    Ready w = follower.step(new Input.Propose(new TestCommand(1), replies::add));
    Ready rd = follower.step(new Input.Read(new TestCommand(2), replies::add));
    assertNull(w.persist());
    assertInstanceOf(RaftNode.NotLeader.class, w.answers().get(0).reply());
    assertEquals(new RaftNode.NotLeader(1), rd.answers().get(0).reply());
  }

  @Test
  @DisplayName("determinism: the same seed and inputs give the same Readys")
  void sameSeedSameReadys() {
    List<Ready> a = new ArrayList<>();
    List<Ready> b = new ArrayList<>();
    RaftCore x = core(1, 99);
    RaftCore y = core(1, 99);
    for (int i = 0; i < 300; i++) {
      a.add(x.step(Input.Tick.INSTANCE));
      b.add(y.step(Input.Tick.INSTANCE));
    }
    assertEquals(a, b);
    assertTrue(a.stream().anyMatch(r -> !r.messages().isEmpty()), "300 ticks start an election");
  }
}
