package io.raftkv.raft.campaign;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.NetworkFaults;
import io.raftkv.raft.sim.SimSeeds;
import io.raftkv.raft.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Randomized fault injection over many seeds: a lossy, duplicating, reordering network, slow
 * disks, partitions, crashes and restarts, with proposals all along. The simulator checks Raft's
 * safety properties after every step; at the end the faults stop and the cluster must make
 * progress again. {@code -Draftkv.campaign.seeds=N} runs a longer campaign.
 */
@ExtendWith(SimSeeds.class)
class RaftCampaignTest {
  private static final int NODES = 5;
  private static final long SIM_SECONDS = 20;

  record Outcome(String digest, long committed, long crashes, long partitions, long simTicks) {}

  static Outcome runSeed(long seed, boolean snapshots) {
    NetworkFaults faults = NetworkFaults.unreliable().withSlowDisk(5);
    LabCluster c = new LabCluster(NODES, seed, faults,
        snapshots ? LabCluster.snapshotSettings(NODES, 20, 7) : Simulator.defaultSettings(NODES));
    Simulator sim = c.sim();
    Random r = new Random(seed * 7919);
    long partitions = 0;
    long value = 0;
    long end = SIM_SECONDS * 1000 / LabCluster.TICK_MS;
    while (sim.now() < end) {
      int roll = r.nextInt(100);
      if (roll < 10) {
        int id = r.nextInt(NODES) + 1;
        if (sim.isUp(id)) sim.crash(id);
        else sim.start(id);
      } else if (roll < 18) {
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        for (int id = 1; id <= NODES; id++) (r.nextBoolean() ? a : b).add(id);
        sim.partition(List.of(a, b));
        partitions++;
      } else if (roll < 28) {
        sim.heal();
      }
      for (int k = r.nextInt(4); k > 0; k--) c.startAtEveryLeader(++value);
      sim.run(1 + r.nextInt(60));
    }
    sim.heal();
    for (int id = 1; id <= NODES; id++) sim.start(id);
    sim.setFaults(NetworkFaults.reliable());
    c.one(++value, NODES, true); // liveness once the faults stop
    return new Outcome(sim.traceDigest(), sim.invariants().maxCommittedIndex(), sim.crashes(), partitions, sim.now());
  }

  @Test
  void safetyHoldsUnderRandomFaults() {
    int seeds = Integer.getInteger("raftkv.campaign.seeds", 40);
    long base = SimSeeds.seed(1000);
    long committed = 0, crashes = 0, partitions = 0, ticks = 0;
    long started = System.nanoTime();
    for (long s = base; s < base + seeds; s++) {
      SimSeeds.using(s);
      Outcome o = runSeed(s, s % 2 == 0);
      committed += o.committed();
      crashes += o.crashes();
      partitions += o.partitions();
      ticks += o.simTicks();
      assertTrue(o.committed() > 0, "seed " + s + " committed nothing");
    }
    double wallSeconds = (System.nanoTime() - started) / 1e9;
    double simSeconds = ticks * LabCluster.TICK_MS / 1000.0;
    System.out.printf("raft campaign: %d seeds, %d entries committed, %d crashes, %d partitions, %.0f simulated s in %.1f wall s (%.0f simulated s per wall s)%n",
        seeds, committed, crashes, partitions, simSeconds, wallSeconds, simSeconds / wallSeconds);
  }

  @Test
  void sameSeedSameTrace() {
    SimSeeds.assertSameTraceForSameSeed(SimSeeds.seed(77), s -> runSeed(s, true).digest());
  }
}
