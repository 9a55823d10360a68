package io.raftkv.raft.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.RaftNode;
import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.SimSeeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lab's churn scenarios (3C): three clients propose while nodes are disconnected, crashed and
 * restarted at random; every value a client saw committed must be in the final log.
 */
@ExtendWith(SimSeeds.class)
class ChurnScenariosTest {

  /** One of the lab's client loops, as a state machine polled every tick. */
  private static final class Client {
    final int me;
    final List<Long> committed = new ArrayList<>();
    List<TestInbox<RaftNode.ClientReply>> pending = List.of();
    long value;
    long nextTick; // idle until this tick
    long deadlineTick; // stop waiting for this value's commit

    Client(int me) {
      this.me = me;
    }

    void poll(LabCluster c, Random r) {
      long now = c.sim().now();
      if (pending.isEmpty()) {
        if (now < nextTick) return;
        value = r.nextInt(Integer.MAX_VALUE);
        List<TestInbox<RaftNode.ClientReply>> sent = new ArrayList<>();
        for (int id = 1; id <= c.size(); id++) if (c.alive(id)) sent.add(c.startAsync(id, value));
        pending = sent;
        deadlineTick = now + 38; // the lab polls 10+20+50+100+200 ms
        return;
      }
      boolean anyLeader = false;
      boolean allAnswered = true;
      for (TestInbox<RaftNode.ClientReply> in : pending) {
        if (!in.hasMessages()) {
          allAnswered = false;
          continue;
        }
        RaftNode.ClientReply reply = in.receiveMessage();
        if (reply instanceof RaftNode.Applied) {
          committed.add(value);
          pending = List.of();
          nextTick = now;
          return;
        }
        if (!(reply instanceof RaftNode.NotLeader)) anyLeader = true;
      }
      if (allAnswered && !anyLeader) {
        pending = List.of(); // nobody leads: the lab sleeps 79 + 17*me ms
        nextTick = now + (79 + 17L * me) / LabCluster.TICK_MS;
      } else if (now >= deadlineTick) {
        pending = List.of();
        nextTick = now;
      }
    }
  }

  private void churn(LabCluster c) {
    Random r = c.random();
    List<Client> clients = List.of(new Client(0), new Client(1), new Client(2));
    for (int iters = 0; iters < 20; iters++) {
      if (r.nextInt(1000) < 200) c.disconnect(r.nextInt(5) + 1);
      if (r.nextInt(1000) < 500) {
        int i = r.nextInt(5) + 1;
        if (!c.alive(i)) c.start1(i);
        c.connect(i);
      }
      if (r.nextInt(1000) < 200) {
        int i = r.nextInt(5) + 1;
        if (c.alive(i)) c.crash1(i);
      }
      runWithClients(c, clients, r, LabCluster.ELECTION_TIMEOUT_MS * 7 / 10);
    }
    runWithClients(c, clients, r, LabCluster.ELECTION_TIMEOUT_MS);
    c.setUnreliable(false);
    for (int i = 1; i <= 5; i++) {
      if (!c.alive(i)) c.start1(i);
      c.connect(i);
    }
    List<Long> values = new ArrayList<>();
    for (Client cl : clients) values.addAll(cl.committed);
    c.sleepMs(LabCluster.ELECTION_TIMEOUT_MS);
    long lastIndex = c.one(r.nextInt(Integer.MAX_VALUE), 5, true);
    Set<Long> really = new HashSet<>();
    for (long index = 1; index <= lastIndex; index++) really.add(c.waitCommitted(index, 5, -1));
    for (long v : values) assertTrue(really.contains(v), "didn't find a value " + v + " that a client saw committed");
    assertTrue(!values.isEmpty(), "no client got anything committed");
  }

  private static void runWithClients(LabCluster c, List<Client> clients, Random r, long ms) {
    for (long t = 0; t < ms / LabCluster.TICK_MS; t++) {
      for (Client cl : clients) cl.poll(c, r);
      c.sim().run(1);
    }
  }

  @Test
  void ReliableChurn() {
    churn(new LabCluster(5, SimSeeds.seed(41), false));
  }

  @Test
  void UnreliableChurn() {
    churn(new LabCluster(5, SimSeeds.seed(42), true));
  }
}
