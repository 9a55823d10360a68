package io.raftkv.kv.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.kv.sim.FaultRoll;
import io.raftkv.kv.sim.KvCluster;
import io.raftkv.kv.sim.SimLeases;
import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.NetworkFaults;
import io.raftkv.raft.sim.SimSeeds;
import io.raftkv.raft.sim.Simulator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Leases under the campaign's faults, with ticks as time ({@link SimLeases}): grants and
 * keep-alives while messages are dropped, duplicated and delayed, disks are slow, the network is
 * partitioned and nodes crash and restart (snapshots on every other seed); no lease ends sooner
 * than its TTL after its last keep-alive was applied anywhere, whoever leads and whatever
 * restarted; once the holders stop, every lease ends. A failure prints its seed and the command
 * that replays it; {@code -Draftkv.kv.campaign.seeds=N} runs a longer one.
 */
@ExtendWith(SimSeeds.class)
class LeaseCampaignTest {
  private static final int NODES = 5;
  private static final long FAULT_SECONDS = 8;

  @Test
  void noLeaseEndsBeforeItsTtlAndAllEndOnceLeftAlone() {
    int seeds = Integer.getInteger("raftkv.kv.campaign.seeds", 100);
    long base = SimSeeds.seed(7000);
    long leases = 0, expiries = 0, crashes = 0;
    long shortest = Long.MAX_VALUE;
    for (long s = base; s < base + seeds; s++) {
      SimSeeds.using(s);
      KvCluster kv = new KvCluster(NODES, s, NetworkFaults.unreliable().withSlowDisk(4), s % 2 == 0 ? 30 : -1, false);
      Simulator sim = kv.sim();
      SimLeases simLeases = new SimLeases(kv, s * 31 + 7);
      Random r = new Random(s * 7 + 1);
      long end = sim.now() + FAULT_SECONDS * 1000 / LabCluster.TICK_MS;
      while (sim.now() < end) {
        FaultRoll.roll(sim, r, NODES);
        for (int t = 0; t < 5 + r.nextInt(40); t += 5) {
          kv.run(5);
          simLeases.step(true);
        }
      }
      sim.heal();
      sim.setFaults(NetworkFaults.reliable());
      for (int id = 1; id <= NODES; id++) sim.start(id);
      // The holders stop: within the TTL, an election and a few seconds, every lease ends.
      long quiet = sim.now() + (SimLeases.TTL_SECONDS * 1000 + LabCluster.ELECTION_TIMEOUT_MS + 3000) / LabCluster.TICK_MS;
      while (sim.now() < quiet) {
        kv.run(5);
        simLeases.step(false);
      }
      assertEquals(0, simLeases.alive(), "seed " + s + ": leases left alone did not all end");
      leases += simLeases.leasesSeen();
      expiries += simLeases.expiries();
      crashes += sim.crashes();
      shortest = Math.min(shortest, simLeases.shortestEndTicks());
    }
    assertTrue(expiries > 0, "no lease ended");
    System.out.printf("lease campaign: %d seeds (%d..%d), %d leases granted, %d expiries, %d crashes; the shortest a lease lived after its"
        + " last keep-alive was first applied: %d ticks (TTL %d)%n", seeds, base, base + seeds - 1, leases, expiries, crashes, shortest,
        SimLeases.TTL_SECONDS * 1000 / LabCluster.TICK_MS);
  }
}
