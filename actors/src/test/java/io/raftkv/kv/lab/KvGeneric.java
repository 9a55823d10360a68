package io.raftkv.kv.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.check.CheckResult;
import io.raftkv.kv.sim.KvCluster;
import io.raftkv.kv.sim.KvSimClient;
import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.NetworkFaults;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The reference lab's {@code GenericTest}: clients append, put and get for 5 simulated seconds,
 * three times, under the chosen faults; after each round partitions heal and, with crashes, every
 * node restarts; the whole history must be linearizable, and with snapshots the log stays bounded.
 */
final class KvGeneric {
  static final int ITERATIONS = 3;
  static final int ROUND_MS = 5_000;

  record Params(int clients, int servers, boolean unreliable, boolean crash, boolean partitions, int snapshotEntries, boolean randomKeys) {}

  private KvGeneric() {}

  /** The lab's workload: 50% append, 10% of the rest put with random keys, else get. */
  static KvSimClient.Op labWorkload(KvSimClient c, Random r, Params p, int[] counter) {
    String key = p.randomKeys() ? Integer.toString(r.nextInt(p.clients())) : Integer.toString(c.process());
    String nv = "x " + c.process() + " " + counter[c.process()]++ + " y";
    int roll = r.nextInt(1000);
    if (roll < 500) return KvSimClient.Op.append(key, nv);
    if (p.randomKeys() && r.nextInt(1000) < 100) return KvSimClient.Op.put(key, nv);
    return KvSimClient.Op.get(key);
  }

  static CheckResult run(long seed, Params p) {
    NetworkFaults faults = p.unreliable() ? NetworkFaults.unreliable() : NetworkFaults.reliable();
    KvCluster kv = new KvCluster(p.servers(), seed, faults, p.snapshotEntries());
    Random r = new Random(seed * 13 + 5);
    int[] counter = new int[p.clients()];
    for (int i = 0; i < p.clients(); i++) kv.client(kv.all(), (c, rnd) -> labWorkload(c, rnd, p, counter));
    for (int iter = 0; iter < ITERATIONS; iter++) {
      kv.clients().forEach(KvSimClient::resume);
      long end = kv.sim().now() + ROUND_MS / LabCluster.TICK_MS;
      while (kv.sim().now() < end) {
        if (p.partitions()) partition(kv, r);
        long slice = p.partitions() ? (1000 + r.nextInt(200)) / LabCluster.TICK_MS : end - kv.sim().now();
        kv.run(Math.min(slice, end - kv.sim().now()));
      }
      if (p.partitions()) {
        kv.sim().heal();
        kv.run(LabCluster.ELECTION_TIMEOUT_MS / LabCluster.TICK_MS);
      }
      kv.drainClients(3_000 / LabCluster.TICK_MS);
      if (p.crash()) {
        for (int id = 1; id <= p.servers(); id++) kv.sim().crash(id);
        kv.run(1000 / LabCluster.TICK_MS);
        for (int id = 1; id <= p.servers(); id++) kv.sim().start(id);
      }
      if (p.snapshotEntries() > 0) {
        int entries = kv.maxLogEntries();
        assertTrue(entries <= 8 * p.snapshotEntries(), "log not trimmed: " + entries + " entries > 8 x " + p.snapshotEntries());
      } else {
        assertTrue(kv.maxSnapshotBytes() == 0, "snapshots taken with snapshots off");
      }
    }
    long completed = kv.clients().stream().mapToLong(KvSimClient::completed).sum();
    assertTrue(completed > 0, "no operation completed");
    return kv.assertLinearizable();
  }

  /** The lab's partitioner: the servers split at random into two groups. */
  private static void partition(KvCluster kv, Random r) {
    List<Integer> a = new ArrayList<>();
    List<Integer> b = new ArrayList<>();
    for (int id : kv.all()) (r.nextBoolean() ? a : b).add(id);
    kv.sim().partition(List.of(a, b));
  }
}
