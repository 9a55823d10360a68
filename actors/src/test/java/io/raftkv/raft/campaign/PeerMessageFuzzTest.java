package io.raftkv.raft.campaign;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.NetworkFaults;
import io.raftkv.raft.sim.PeerMessageFuzzer;
import io.raftkv.raft.sim.SimSeeds;
import io.raftkv.raft.sim.Simulator;
import io.raftkv.raft.sim.TestCommand;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No message a peer can send stops a node: a three-node cluster of the production behaviors, with
 * snapshots on so that chunks are in the traffic, gets thousands of random and mutated messages
 * ({@link PeerMessageFuzzer}) at random nodes between steps of simulated time. The simulator fails
 * the run when any node throws on a message, so finishing is the claim; the refusals of impossible
 * messages are counted and must occur. Afterwards the fuzzing stops and the cluster must commit
 * again at every node. Safety is not checked while the fuzzer runs: a peer that lies about the log
 * breaks it by design (Raft trusts its authenticated members).
 * {@code -Draftkv.campaign.seeds=N} runs more seeds.
 */
@ExtendWith(SimSeeds.class)
class PeerMessageFuzzTest {
  private static final int NODES = 3;
  private static final int MESSAGES_PER_SEED = 3_000;

  record Outcome(long injected, long refused, long constructorRefused, Map<String, Long> refusedByKind) {}

  static Outcome runSeed(long seed) {
    LabCluster c = new LabCluster(NODES, seed, NetworkFaults.reliable(), LabCluster.snapshotSettings(NODES, 20, 7));
    Simulator sim = c.sim();
    sim.sampleSentMessages();
    long value = 0;
    for (int i = 0; i < 40; i++) c.one(++value, NODES, true); // a log, snapshots and their chunks to mutate
    sim.trustNoPeer();
    Random r = new Random(seed * 31 + 7);
    PeerMessageFuzzer fuzzer = new PeerMessageFuzzer(r, NODES);
    for (int i = 0; i < MESSAGES_PER_SEED; i++) {
      RaftMessage m = fuzzer.next(sim.sentSample());
      if (r.nextInt(4) == 0) m = new RaftMessage.Identified(r.nextBoolean() ? 0 : r.nextLong(), r.nextLong(), m);
      sim.inject(1 + r.nextInt(NODES), m);
      if (i % 10 == 0) c.startAtEveryLeader(++value);
      if (i % 25 == 0) sim.run(1 + r.nextInt(20));
    }
    sim.run(200);
    for (int id = 1; id <= NODES; id++) {
      assertTrue(sim.isUp(id) && !sim.removed(id) && !sim.refused(id), "node " + id + " was stopped by the fuzzing (seed " + seed + ")");
    }
    long applied = committedAfterFuzzing(sim, ++value); // liveness once the fuzzing stops
    assertTrue(applied > 0, "seed " + seed + ": no entry committed at every node after the fuzzing; the nodes:" + states(sim));
    return new Outcome(fuzzer.made(), sim.invalidPeerMessages(), fuzzer.refusedByConstructor(), sim.invalidPeerMessagesByKind());
  }

  /**
   * Proposes {@code value} at the leader (again at the next one, should leadership change) until
   * every node has applied it; returns its index, or 0 when that took longer than 10 simulated s.
   * Read from the nodes' status: the simulator keeps no record of what they applied in this mode.
   */
  private static long committedAfterFuzzing(Simulator sim, long value) {
    long deadline = sim.now() + 10_000 / LabCluster.TICK_MS;
    while (sim.now() < deadline) {
      if (!sim.runUntil(() -> sim.leader() != 0, deadline - sim.now())) return 0;
      TestInbox<RaftNode.ClientReply> reply = sim.propose(sim.leader(), new TestCommand(value));
      sim.runUntil(reply::hasMessages, 200);
      if (reply.hasMessages() && reply.receiveMessage() instanceof RaftNode.Applied a) {
        sim.runUntil(() -> appliedEverywhere(sim, a.index()), deadline - sim.now());
        return appliedEverywhere(sim, a.index()) ? a.index() : 0;
      }
    }
    return 0;
  }

  private static boolean appliedEverywhere(Simulator sim, long index) {
    for (int id = 1; id <= NODES; id++) if (sim.status(id).lastApplied() < index) return false;
    return true;
  }

  private static String states(Simulator sim) {
    StringBuilder states = new StringBuilder();
    for (int id = 1; id <= NODES; id++) states.append("\n  ").append(sim.status(id)).append(' ').append(sim.members(id));
    return states.toString();
  }

  @Test
  void noPeerMessageStopsANode() {
    int seeds = Integer.getInteger("raftkv.campaign.seeds", 4);
    long base = SimSeeds.seed(4200);
    long injected = 0, refused = 0, constructorRefused = 0;
    Map<String, Long> byKind = new TreeMap<>();
    for (long s = base; s < base + seeds; s++) {
      SimSeeds.using(s);
      Outcome o = runSeed(s);
      injected += o.injected();
      refused += o.refused();
      constructorRefused += o.constructorRefused();
      o.refusedByKind().forEach((k, n) -> byKind.merge(k, n, Long::sum));
      assertTrue(o.refused() > 0, "seed " + s + ": no message was refused as impossible, so the fuzzer reached no check");
    }
    System.out.printf("peer-message fuzz: %d seeds, %d messages injected, %d refused as impossible, %d more never made (their constructors refuse"
        + " the values, as deserialization would); refused by type: %s%n", seeds, injected, refused, constructorRefused, byKind);
  }
}
