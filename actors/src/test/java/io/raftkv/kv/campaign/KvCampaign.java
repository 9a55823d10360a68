package io.raftkv.kv.campaign;

import io.raftkv.check.CheckResult;
import io.raftkv.check.Verdict;
import io.raftkv.kv.sim.FaultRoll;
import io.raftkv.kv.sim.KvCluster;
import io.raftkv.kv.sim.WatchAgreement;
import io.raftkv.persistence.kv.HistoryPolicy;
import io.raftkv.kv.sim.KvSimClient;
import io.raftkv.kv.sim.KvSimClient.Op;
import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.NetworkFaults;
import io.raftkv.raft.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One run of the key-value fault campaign: concurrent clients doing every operation on a few keys
 * while the seeded schedule drops, duplicates and delays messages, slows disks, partitions the
 * network and crashes and restarts nodes. Raft's invariants are checked as it runs; the client
 * history is checked for linearizability at the end.
 */
public final class KvCampaign {
  public static final int NODES = 5;
  public static final int CLIENTS = 6;
  public static final int KEYS = 4;
  public static final long FAULT_SECONDS = 6;
  /** 64 revisions or 16 KiB of changes: compaction runs all along, and the nodes' retained histories overlap. */
  static final HistoryPolicy WATCHED_HISTORY = new HistoryPolicy(64, 16 * 1024);

  /** What a run did, for the campaign's report. */
  public record Run(long seed, Verdict verdict, int operations, long crashes, long partitions, String failure, long watchedRevisions,
      long watchRangesCompared) {}

  private KvCampaign() {}

  static Op randomOp(KvSimClient c, Random r, int[] counter) {
    String key = "k" + r.nextInt(KEYS);
    String v = c.process() + "." + counter[c.process()]++;
    int roll = r.nextInt(100);
    if (roll < 35) return Op.get(key);
    if (roll < 55) return Op.put(key, v);
    if (roll < 75) return Op.append(key, v);
    if (roll < 83) return Op.delete(key);
    if (roll < 91) return Op.cas(key, null, v);
    return Op.cas(key, c.process() + "." + (counter[c.process()] - 2), v); // often the value it wrote last
  }

  public static Run run(long seed, boolean brokenReads) {
    NetworkFaults faults = NetworkFaults.unreliable().withSlowDisk(4);
    // History long enough that nodes' retained ranges overlap, so that the watch check compares much of it.
    KvCluster kv = new KvCluster(NODES, seed, faults, seed % 2 == 0 ? 30 : -1, brokenReads, WATCHED_HISTORY);
    Simulator sim = kv.sim();
    Random r = new Random(seed * 104729 + 3);
    int[] counter = new int[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) kv.client(kv.all(), (c, rnd) -> randomOp(c, rnd, counter));
    WatchAgreement watch = new WatchAgreement(kv, seed * 7919 + 11);
    long partitions = 0;
    long end = sim.now() + FAULT_SECONDS * 1000 / LabCluster.TICK_MS;
    while (sim.now() < end) {
      if (FaultRoll.roll(sim, r, NODES)) partitions++;
      int ticks = 5 + r.nextInt(40);
      for (int t = 0; t < ticks; t += 5) {
        kv.run(Math.min(5, ticks - t));
        watch.poll();
      }
    }
    sim.heal();
    sim.setFaults(NetworkFaults.reliable());
    for (int id = 1; id <= NODES; id++) sim.start(id);
    kv.run(LabCluster.ELECTION_TIMEOUT_MS / LabCluster.TICK_MS);
    kv.drainClients(3_000 / LabCluster.TICK_MS);
    try {
      CheckResult result = kv.assertLinearizable();
      return new Run(seed, result.verdict(), kv.history().size(), sim.crashes(), partitions, null, watch.revisionsSeen(),
          watch.rangesCompared());
    } catch (AssertionError e) {
      return new Run(seed, Verdict.NOT_LINEARIZABLE, kv.history().size(), sim.crashes(), partitions, e.getMessage(), watch.revisionsSeen(),
          watch.rangesCompared());
    }
  }
}
