package io.raftkv.raft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.RaftNode;
import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.NetworkFaults;
import io.raftkv.raft.sim.SimSeeds;
import io.raftkv.raft.sim.Simulator;
import io.raftkv.raft.sim.TestCommand;
import io.raftkv.raft.sim.TestResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Linearizable reads through ReadIndex (dissertation §6.4), and serializable local reads. */
@ExtendWith(SimSeeds.class)
class ReadIndexTest {
  private static final TestCommand QUERY = new TestCommand(0);

  private static TestInbox<RaftNode.ClientReply> read(LabCluster c, int id) {
    TestInbox<RaftNode.ClientReply> inbox = TestInbox.create("reader");
    c.sim().request(id, new RaftNode.Read(QUERY, inbox.getRef()));
    return inbox;
  }

  @Test
  void aReadSeesEveryWriteCompletedBeforeIt() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(71), false);
    long last = 0;
    for (int i = 1; i <= 10; i++) last = c.one(i, 3, true);
    int leader = c.checkOneLeader();
    TestInbox<RaftNode.ClientReply> reply = read(c, leader);
    assertTrue(c.sim().runUntil(reply::hasMessages, 100), "no answer");
    RaftNode.ReadDone done = assertInstanceOf(RaftNode.ReadDone.class, reply.receiveMessage());
    assertTrue(done.appliedIndex() >= last, "read at " + done.appliedIndex() + " before the last write " + last);
    assertEquals(new TestResult(10, ((io.raftkv.raft.sim.ChecksumStateMachine) c.sim().machine(leader)).checksum()), done.result());
  }

  @Test
  void readsThatArriveTogetherShareOneHeartbeatRoundAndWriteNoLog() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(72), false);
    c.one(1, 3, true);
    int leader = c.checkOneLeader();
    c.sleepMs(300);
    long heartbeats0 = c.sim().heartbeatsSent();
    long lastIndex0 = c.statusOf(leader).lastLogIndex();
    List<TestInbox<RaftNode.ClientReply>> replies = new ArrayList<>();
    for (int i = 0; i < 100; i++) replies.add(read(c, leader));
    assertTrue(c.sim().runUntil(() -> replies.stream().allMatch(TestInbox::hasMessages), 100), "reads unanswered");
    for (TestInbox<RaftNode.ClientReply> r : replies) assertInstanceOf(RaftNode.ReadDone.class, r.receiveMessage());
    long rounds = (c.sim().heartbeatsSent() - heartbeats0) / 2; // two followers per round
    assertTrue(rounds <= 2, "100 reads took " + rounds + " heartbeat rounds");
    assertEquals(lastIndex0, c.statusOf(leader).lastLogIndex(), "a read wrote the log");
  }

  @Test
  void aDeposedLeaderCutOffFromTheMajorityServesNoLinearizableRead() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(73), false);
    c.one(1, 3, true);
    int old = c.checkOneLeader();
    c.disconnect(old);
    c.one(2, 2, true); // the majority moves on: the old leader's state is stale now
    TestInbox<RaftNode.ClientReply> reply = read(c, old);
    c.sleepMs(2_000);
    while (reply.hasMessages()) {
      RaftNode.ClientReply r = reply.receiveMessage();
      assertTrue(!(r instanceof RaftNode.ReadDone), "the cut-off leader answered a linearizable read: " + r);
    }
  }

  @Test
  void followersRedirectLinearizableReadsAndAnswerLocalOnes() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(74), false);
    c.one(1, 3, true);
    int leader = c.checkOneLeader();
    int follower = leader % 3 + 1;
    TestInbox<RaftNode.ClientReply> reply = read(c, follower);
    c.sim().runUntil(reply::hasMessages, 10);
    assertEquals(new RaftNode.NotLeader(leader), reply.receiveMessage());
    TestInbox<RaftNode.ClientReply> local = TestInbox.create("local");
    c.sim().request(follower, new RaftNode.ReadLocal(QUERY, local.getRef()));
    c.sim().runUntil(local::hasMessages, 10);
    assertInstanceOf(RaftNode.ReadDone.class, local.receiveMessage());
  }

  @Test
  void theBrokenRuleLetsFollowersAnswerLinearizableReads() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(75), NetworkFaults.reliable(),
        id -> Simulator.defaultSettings(3).apply(id).withStaleFollowerReadsForTests());
    c.one(1, 3, true);
    int follower = c.checkOneLeader() % 3 + 1;
    TestInbox<RaftNode.ClientReply> reply = read(c, follower);
    c.sim().runUntil(reply::hasMessages, 10);
    assertInstanceOf(RaftNode.ReadDone.class, reply.receiveMessage());
  }
}
