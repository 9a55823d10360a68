package io.raftkv.raft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftSettings;
import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.NetworkFaults;
import io.raftkv.raft.sim.SimSeeds;
import io.raftkv.raft.sim.Simulator;
import io.raftkv.raft.sim.TestCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The node's mechanisms beyond the lab scenarios, each shown in the simulator. */
@ExtendWith(SimSeeds.class)
class RaftNodeMechanismsTest {

  private static IntFunction<RaftSettings> withPreVoteAndCheckQuorum(int nodes, boolean on) {
    IntFunction<RaftSettings> base = Simulator.defaultSettings(nodes);
    return id -> base.apply(id).withPreVoteAndCheckQuorum(on, on);
  }

  /** Cuts a follower off for 5 s, lets it back, and returns the terms before and after, and the leaders. */
  private static long[] isolateAFollower(boolean preVote) {
    LabCluster c = new LabCluster(3, SimSeeds.seed(61), NetworkFaults.reliable(), withPreVoteAndCheckQuorum(3, preVote));
    int leader = c.checkOneLeader();
    long term = c.checkTerms();
    int follower = leader % 3 + 1;
    c.disconnect(follower);
    c.sleepMs(5_000);
    c.connect(follower);
    c.sleepMs(2_000);
    return new long[] {term, c.checkTerms(), leader, c.checkOneLeader()};
  }

  /** Pre-vote (§9.6): a follower cut off for a while cannot win, so it raises no term and does not depose the leader when it returns. */
  @Test
  void preVoteKeepsARejoiningNodeFromDisruptingTheLeader() {
    long[] r = isolateAFollower(true);
    assertEquals(r[0], r[1], "the rejoining node raised the term");
    assertEquals(r[2], r[3], "the leader changed");
  }

  /** The same run without pre-vote: the isolated node's elections raise its term, and its return forces a new election. */
  @Test
  void withoutPreVoteARejoiningNodeRaisesTheTerm() {
    long[] r = isolateAFollower(false);
    assertNotEquals(r[0], r[1], "without pre-vote the term should have moved on");
  }

  /**
   * Back-pressure in bytes: a leader that cannot commit (cut off from its followers) holds proposals
   * up to proposals-pending-bytes-max and refuses the next at once; the first is taken whatever
   * its size, so a command at the value limit is never refused for its size alone.
   */
  @Test
  void aLeaderRefusesProposalsPastItsPendingBytes() {
    IntFunction<RaftSettings> base = withPreVoteAndCheckQuorum(3, false);
    LabCluster c = new LabCluster(3, SimSeeds.seed(67), NetworkFaults.reliable(), id -> base.apply(id).withProposalsPending(10_000, 100_000));
    int leader = c.checkOneLeader();
    for (int id = 1; id <= 3; id++) if (id != leader) c.disconnect(id);
    Simulator sim = c.sim();
    List<TestInbox<RaftNode.ClientReply>> replies = new ArrayList<>();
    for (int i = 0; i < 5; i++) replies.add(sim.propose(leader, new TestCommand(100 + i, "y".repeat(30_000))));
    sim.run(5);
    // 30,008 bytes each: three fit in 100,000, the fourth would not.
    for (int i = 0; i < 3; i++) assertTrue(replies.get(i).getAllReceived().isEmpty(), "proposal " + i + " waits for its commit");
    for (int i = 3; i < 5; i++) {
      List<RaftNode.ClientReply> got = replies.get(i).getAllReceived();
      assertEquals(1, got.size(), "proposal " + i + " answered at once");
      assertTrue(got.get(0) instanceof RaftNode.Refused refused && refused.reason().contains("proposals-pending-bytes-max"), got::toString);
    }

    // A new leader with nothing pending takes one proposal larger than the bound.
    for (int id = 1; id <= 3; id++) c.connect(id);
    int next = c.checkOneLeader();
    c.one(1, 3, true);
    TestInbox<RaftNode.ClientReply> huge = sim.propose(next, new TestCommand(7, "x".repeat(150_000)));
    List<RaftNode.ClientReply> got = new ArrayList<>();
    assertTrue(sim.runUntil(() -> got.addAll(huge.getAllReceived()), 500), "the large proposal was answered");
    assertTrue(got.get(0) instanceof RaftNode.Applied, got::toString);
  }

  /** Check-quorum (dissertation §6.2): a leader that hears from no majority steps down within an election timeout. */
  @Test
  void checkQuorumMakesAnIsolatedLeaderStepDown() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(62), false);
    int leader = c.checkOneLeader();
    c.disconnect(leader);
    c.sleepMs(LabCluster.ELECTION_TIMEOUT_MS);
    assertEquals(RaftNode.Role.FOLLOWER, c.statusOf(leader).role(), "the isolated leader still leads");
  }

  /** Leadership transfer (dissertation §3.10): the target wins at once, through TimeoutNow. */
  @Test
  void leadershipTransferHandsOverToTheTarget() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(63), false);
    c.one(1, 3, true);
    int leader = c.checkOneLeader();
    int target = leader % 3 + 1;
    c.sim().transferLeadership(leader, target);
    c.sleepMs(200); // well under an election timeout: only TimeoutNow can make it this fast
    assertEquals(RaftNode.Role.LEADER, c.statusOf(target).role(), "the target did not take over");
    c.one(2, 3, true);
  }

  /**
   * Batching: proposals queued together leave in few AppendEntries and few durable-log batches,
   * not one each; and replication starts at once, not at the next heartbeat.
   */
  @Test
  void proposalsAreBatchedOnTheWireAndOnDisk() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(64), false);
    c.one(1, 3, true);
    int leader = c.checkOneLeader();
    c.sleepMs(500);
    long appends0 = c.sim().appendEntriesSent();
    long batches0 = c.sim().persistBatches();
    long start = c.sim().now();
    List<TestInbox<RaftNode.ClientReply>> replies = new ArrayList<>();
    for (int i = 0; i < 200; i++) replies.add(c.sim().propose(leader, new TestCommand(1000 + i)));
    assertTrue(c.sim().runUntil(() -> replies.stream().allMatch(TestInbox::hasMessages), 200), "200 proposals did not commit");
    long ticks = c.sim().now() - start;
    long appends = c.sim().appendEntriesSent() - appends0;
    long batches = c.sim().persistBatches() - batches0;
    assertTrue(appends <= 20, "200 proposals took " + appends + " AppendEntries");
    assertTrue(batches <= 20, "200 proposals took " + batches + " durable-log batches");
    int heartbeat = Simulator.defaultSettings(3).apply(1).heartbeatTicks();
    assertTrue(ticks < heartbeat, "commit took " + ticks + " ticks: replication waited for a heartbeat (" + heartbeat + ")");
  }

  /**
   * Group commit merges the appends made while a batch is on disk into one event, but never past
   * append-bytes-max (here 16 KiB): one event is serialized whole, within the serializer's bound.
   * 200 proposals of 1 KiB (about 200 KiB) arrive while a slow disk (up to 200 ms) holds a batch.
   */
  @Test
  void appendsMergedWhileTheDiskIsBusyStayWithinAppendBytesMax() {
    long appendBytesMax = 16 * 1024;
    IntFunction<RaftSettings> base = Simulator.defaultSettings(3);
    LabCluster c = new LabCluster(3, SimSeeds.seed(65), NetworkFaults.reliable().withSlowDisk(20), id -> base.apply(id).withAppendBytesMax(appendBytesMax));
    c.one(1, 3, true);
    int leader = c.checkOneLeader();
    long batches0 = c.sim().persistBatches();
    List<TestInbox<RaftNode.ClientReply>> replies = new ArrayList<>();
    for (int i = 0; i < 200; i++) replies.add(c.sim().propose(leader, new TestCommand(2000 + i, "x".repeat(1000))));
    assertTrue(c.sim().runUntil(() -> replies.stream().allMatch(TestInbox::hasMessages), 2000), "200 proposals did not commit");
    long largest = c.sim().largestAppendedEventBytes();
    assertTrue(largest <= appendBytesMax, "an EntriesAppended of " + largest + " bytes, over append-bytes-max " + appendBytesMax);
    assertTrue(largest > appendBytesMax / 2, "appends still merge: the largest event is " + largest + " bytes");
    assertTrue(c.sim().persistBatches() - batches0 < 200, "still group commit: " + (c.sim().persistBatches() - batches0) + " batches");
  }

  /** A follower that crashes in the middle of receiving a snapshot gets the whole snapshot after it restarts. */
  @Test
  void restartInTheMiddleOfASnapshotInstallIsSafe() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(65), NetworkFaults.reliable(), LabCluster.snapshotSettings(3, 10, 1));
    int victim = followerLeftBehindASnapshot(c);
    long chunks0 = c.sim().snapshotChunksSentTo(victim);
    c.connect(victim);
    // 16-byte snapshot in 1-byte chunks: stop the follower after a few have arrived.
    assertTrue(c.sim().runUntil(() -> c.sim().snapshotChunksSentTo(victim) >= chunks0 + 4, 100), "no snapshot chunks sent");
    c.crash1(victim);
    c.sleepMs(300);
    c.start1(victim);
    c.connect(victim);
    long last = c.one(999, 3, true);
    assertTrue(c.sim().invariants().lastApplied(victim) >= last, "the restarted follower did not catch up");
    assertTrue(c.sim().durableState(victim).snapshotIndex() > 0, "the follower never installed the snapshot");
  }

  /**
   * A link slower than resend-ticks (every message 15 ticks on its way, so a chunk is answered 30
   * ticks after it went, against resend-ticks of 10): the resend timeout backs off until the answers
   * come within it, and the answers to chunks sent before a rewind, or to their duplicates, rewind
   * nothing. Before both, the follower got this snapshot (under 100 bytes, in chunks of 1 byte) in
   * 709 chunks; with the backoff alone, 3000: each answer to a duplicate rewound the transfer again.
   */
  @Test
  void aFollowerBehindALinkSlowerThanTheResendTimeoutGetsTheSnapshotWithoutAStormOfResends() {
    NetworkFaults slow = new NetworkFaults(0, 0, 0, 15, 15, 0, 0, 0, 1);
    LabCluster c = new LabCluster(3, SimSeeds.seed(66), slow, LabCluster.snapshotSettings(3, 10, 1));
    int victim = followerLeftBehindASnapshot(c);
    long chunks0 = c.sim().snapshotChunksSentTo(victim);
    c.connect(victim);
    long last = c.one(999, 3, true);
    long chunks = c.sim().snapshotChunksSentTo(victim) - chunks0;
    System.out.println("slow link: " + chunks + " snapshot chunks of 1 byte sent to node " + victim);
    assertTrue(c.sim().invariants().lastApplied(victim) >= last, "the follower behind the slow link did not catch up");
    assertTrue(c.sim().durableState(victim).snapshotIndex() > 0, "the follower never installed the snapshot");
    assertTrue(chunks <= 300, chunks + " chunks of 1 byte for a snapshot of under 100 bytes: the transfer kept rewinding");
  }

  /** Cuts a follower off while 40 entries commit (a snapshot every 10: its entries are compacted away); returns it, still cut off. */
  private static int followerLeftBehindASnapshot(LabCluster c) {
    c.one(1, 3, true);
    int victim = c.checkOneLeader() % 3 + 1;
    c.disconnect(victim);
    for (int i = 0; i < 40; i++) c.one(100 + i, 2, true);
    return victim;
  }
}
