package io.raftkv.kv.sim;

import io.raftkv.check.CheckResult;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.kv.HistoryPolicy;
import io.raftkv.persistence.kv.KvStateMachine;
import io.raftkv.persistence.kv.SessionPolicy;
import io.raftkv.raft.RaftSettings;
import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.NetworkFaults;
import io.raftkv.raft.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * A simulated key-value cluster: Raft nodes running {@link KvStateMachine}, simulated clients
 * recording one history, and the lab's KV harness helpers (partitions, crashes, log size).
 */
public final class KvCluster {
  public static final KvLimits LIMITS = new KvLimits(1024, 64 * 1024, 1000);
  public static final SessionPolicy SESSIONS = new SessionPolicy(1_000_000, 10_000);
  /**
   * History of 8 revisions (or 1 KiB): small, so that automatic compaction runs all through every
   * campaign, under its faults and snapshots, and a snapshot stays small however many writes came.
   */
  public static final HistoryPolicy HISTORY = new HistoryPolicy(8, 1024);

  private final LabCluster lab;
  private final KvHistory history = new KvHistory();
  private final List<KvSimClient> clients = new ArrayList<>();
  private final long seed;
  private final java.util.Map<Integer, KvStateMachine> machines = new java.util.HashMap<>();

  public KvCluster(int nodes, long seed, NetworkFaults faults, int snapshotEntries) {
    this(nodes, seed, faults, snapshotEntries, false);
  }

  /** @param snapshotEntries log entries between snapshots, or -1 for none (the lab's maxraftstate) */
  public KvCluster(int nodes, long seed, NetworkFaults faults, int snapshotEntries, boolean staleFollowerReads) {
    this(nodes, seed, faults, settings(Simulator.defaultSettings(nodes), snapshotEntries, staleFollowerReads), HISTORY);
  }

  /** As above, with {@code history} kept by every node's state machine. */
  public KvCluster(int nodes, long seed, NetworkFaults faults, int snapshotEntries, boolean staleFollowerReads, HistoryPolicy history) {
    this(nodes, seed, faults, settings(Simulator.defaultSettings(nodes), snapshotEntries, staleFollowerReads), history);
  }

  /**
   * A cluster of node ids 1..{@code slots}, each (re)started with what {@code settings} gives it
   * then: its bootstrap voters (none for a node that joins a running cluster), snapshots, membership.
   */
  public KvCluster(int slots, long seed, NetworkFaults faults, IntFunction<RaftSettings> settings) {
    this(slots, seed, faults, settings, HISTORY);
  }

  private KvCluster(int slots, long seed, NetworkFaults faults, IntFunction<RaftSettings> settings, HistoryPolicy history) {
    this.seed = seed;
    Simulator sim = new Simulator(slots, seed, faults, settings, id -> {
      KvStateMachine machine = new KvStateMachine(LIMITS, SESSIONS, history, KvStateMachine.QUOTA_BYTES_NONE);
      machines.put(id, machine);
      return machine;
    });
    this.lab = new LabCluster(sim, seed);
  }

  /** {@code base} with a snapshot every {@code snapshotEntries} entries in chunks of 64 bytes (unless -1), and the broken read rule if asked. */
  public static IntFunction<RaftSettings> settings(IntFunction<RaftSettings> base, int snapshotEntries, boolean staleFollowerReads) {
    return id -> {
      RaftSettings s = snapshotEntries > 0 ? base.apply(id).withSnapshots(snapshotEntries, 64) : base.apply(id);
      return staleFollowerReads ? s.withStaleFollowerReadsForTests() : s;
    };
  }

  /** Node {@code id}'s state machine as it runs now (a restart gives it a new one). */
  public KvStateMachine machine(int id) { return machines.get(id); }

  public LabCluster lab() { return lab; }
  public Simulator sim() { return lab.sim(); }
  public KvHistory history() { return history; }
  public long seed() { return seed; }
  public List<KvSimClient> clients() { return clients; }

  public List<Integer> all() {
    List<Integer> ids = new ArrayList<>();
    for (int i = 1; i <= sim().size(); i++) ids.add(i);
    return ids;
  }

  public KvSimClient client(List<Integer> reachable, BiFunction<KvSimClient, Random, KvSimClient.Op> workload) {
    KvSimClient c = new KvSimClient(clients.size(), sim(), history, reachable, seed * 31 + clients.size(), workload);
    clients.add(c);
    return c;
  }

  /** Runs {@code ticks} ticks, polling every client each tick. */
  public void run(long ticks) {
    for (long t = 0; t < ticks; t++) {
      for (KvSimClient c : clients) c.poll();
      sim().run(1);
    }
  }

  /** Lets clients finish what they are doing (no new operations) for at most {@code ticksMax}; gives the rest up as unknown. */
  public void drainClients(long ticksMax) {
    clients.forEach(KvSimClient::stop);
    long end = sim().now() + ticksMax;
    while (sim().now() < end && !clients.stream().allMatch(KvSimClient::idle)) run(1);
    clients.forEach(KvSimClient::abandon);
  }

  /** Runs one operation on {@code client} to completion (or its deadline) and returns it. */
  public io.raftkv.check.Operation runOp(KvSimClient client, KvSimClient.Op op) {
    client.start(op);
    long end = sim().now() + 1000;
    while (!client.idle() && sim().now() < end) run(1);
    if (!client.idle()) client.abandon();
    return client.lastCompleted();
  }

  /** Durable log entries beyond the snapshot on the node that holds the most. */
  public int maxLogEntries() {
    int max = 0;
    for (int id = 1; id <= sim().size(); id++) max = Math.max(max, sim().durableState(id).entryCount());
    return max;
  }

  public long maxSnapshotBytes() {
    long max = 0;
    for (int id = 1; id <= sim().size(); id++) {
      io.raftkv.persistence.raftlog.RaftLogState s = sim().durableState(id);
      max = Math.max(max, s.snapshotFile() == null ? s.snapshotData().length : s.snapshotFile().sizeBytes());
    }
    return max;
  }

  public CheckResult assertLinearizable() {
    return history.assertLinearizable(seed);
  }
}
