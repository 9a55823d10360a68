package io.raftkv.raft.sim;

import static org.junit.jupiter.api.Assertions.fail;

import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;

/**
 * The reference lab's test harness ({@code config.go}) over the {@link Simulator}: the same
 * helpers with the same bounds, in simulated time (one tick = 10 ms). "Connected" is the lab's
 * notion: a disconnected node is cut off from everyone.
 */
public final class LabCluster {
  public static final int TICK_MS = 10;
  /** The lab's election timeout bound (RaftElectionTimeout). */
  public static final int ELECTION_TIMEOUT_MS = 1000;

  private final Simulator sim;
  private final Random random; // the harness's own choices (sleep lengths, victims)
  private final boolean[] connected;
  private final int n;

  public LabCluster(int nodes, long seed, boolean unreliable) {
    this(nodes, seed, unreliable ? NetworkFaults.unreliable() : NetworkFaults.reliable(), Simulator.defaultSettings(nodes));
  }

  public LabCluster(int nodes, long seed, NetworkFaults faults, IntFunction<RaftSettings> settings) {
    this(new Simulator(nodes, seed, faults, settings), seed);
  }

  public LabCluster(Simulator sim, long seed) {
    this.n = sim.size();
    this.sim = sim;
    this.random = new Random(seed ^ 0x5DEECE66DL);
    this.connected = new boolean[n + 1];
    for (int i = 1; i <= n; i++) connected[i] = true;
  }

  /** Settings with snapshots every {@code entries} log entries and small chunks, as the lab's snapshot tests use. */
  public static IntFunction<RaftSettings> snapshotSettings(int nodes, int entries, int chunkBytes) {
    IntFunction<RaftSettings> base = Simulator.defaultSettings(nodes);
    return id -> base.apply(id).withSnapshots(entries, chunkBytes);
  }

  public Simulator sim() { return sim; }
  public int size() { return n; }
  public Random random() { return random; }
  public boolean connected(int id) { return connected[id]; }

  public void sleepMs(long ms) {
    sim.run(Math.max(1, ms / TICK_MS));
  }

  public void disconnect(int id) {
    connected[id] = false;
    sim.disconnect(id);
  }

  public void connect(int id) {
    connected[id] = true;
    sim.connect(id);
    // A node reconnected is cut off from the nodes still disconnected.
    for (int j = 1; j <= n; j++) if (!connected[j]) sim.disconnect(j);
  }

  /** crash1: the node is cut off and its process dies; its disk (acknowledged writes only) survives. */
  public void crash1(int id) {
    disconnect(id);
    sim.crash(id);
  }

  /** start1: (re)starts the node from its disk, still disconnected, as the lab does; call {@link #connect} after. */
  public void start1(int id) {
    crash1(id);
    sim.start(id);
  }

  public boolean alive(int id) {
    return sim.isUp(id);
  }

  /** The largest durable Raft state among the nodes, in bytes: entries (16 bytes of header each) plus the snapshot. */
  public long maxLogSizeBytes() {
    long max = 0;
    for (int id = 1; id <= n; id++) {
      io.raftkv.persistence.raftlog.RaftLogState s = sim.durableState(id);
      long bytes = s.snapshotFile() == null ? s.snapshotData().length : s.snapshotFile().sizeBytes();
      for (LogEntry e : s.entries()) bytes += 16 + e.command().sizeBytes();
      max = Math.max(max, bytes);
    }
    return max;
  }

  /** Proposes at every live node, as the lab's loops of Start() over all servers do; returns the nodes that lead now. */
  public List<Integer> startAtEveryLeader(long value) {
    List<Integer> leaders = new ArrayList<>();
    for (int id = 1; id <= n; id++) {
      RaftNode.Status s = status(id);
      if (s != null && s.role() == RaftNode.Role.LEADER) {
        sim.propose(id, new TestCommand(value));
        leaders.add(id);
      }
    }
    return leaders;
  }

  public void setUnreliable(boolean unreliable) {
    NetworkFaults f = unreliable ? NetworkFaults.unreliable() : NetworkFaults.reliable();
    sim.setFaults(sim.faults().longDelayRate() > 0 ? f.withLongReordering() : f);
  }

  public void setLongReordering(boolean on) {
    NetworkFaults f = sim.faults();
    boolean unreliable = f.requestDropRate() > 0;
    NetworkFaults base = unreliable ? NetworkFaults.unreliable() : NetworkFaults.reliable();
    sim.setFaults(on ? base.withLongReordering() : base);
  }

  public long rpcTotal() {
    return sim.rpcCount();
  }

  private RaftNode.Status status(int id) {
    return sim.isUp(id) ? sim.status(id) : null;
  }

  /** checkOneLeader: a single leader among the connected nodes within ~5 s; fails if a term has two. */
  public int checkOneLeader() {
    for (int iter = 0; iter < 10; iter++) {
      sleepMs(450 + random.nextInt(100));
      Map<Long, List<Integer>> leaders = new TreeMap<>();
      for (int id = 1; id <= n; id++) {
        RaftNode.Status s = connected[id] ? status(id) : null;
        if (s != null && s.role() == RaftNode.Role.LEADER) leaders.computeIfAbsent(s.term(), t -> new ArrayList<>()).add(id);
      }
      long lastTerm = -1;
      for (Map.Entry<Long, List<Integer>> e : leaders.entrySet()) {
        if (e.getValue().size() > 1) fail("term " + e.getKey() + " has " + e.getValue().size() + " leaders " + e.getValue() + " (seed " + sim.seed() + ")");
        lastTerm = e.getKey();
      }
      if (!leaders.isEmpty()) return leaders.get(lastTerm).get(0);
    }
    fail("expected one leader, got none (seed " + sim.seed() + ")");
    return -1;
  }

  /** checkTerms: every connected node agrees on the term. */
  public long checkTerms() {
    long term = -1;
    for (int id = 1; id <= n; id++) {
      RaftNode.Status s = connected[id] ? status(id) : null;
      if (s == null) continue;
      if (term == -1) term = s.term();
      else if (term != s.term()) fail("servers disagree on term: " + term + " vs " + s.term());
    }
    return term;
  }

  /** checkNoLeader: no connected node thinks it leads. */
  public void checkNoLeader() {
    for (int id = 1; id <= n; id++) {
      RaftNode.Status s = connected[id] ? status(id) : null;
      if (s != null && s.role() == RaftNode.Role.LEADER) fail("expected no leader among connected servers, but " + id + " claims to be leader");
    }
  }

  /** nCommitted: how many nodes have applied {@code index}, and the command committed there (or null). */
  public int nCommitted(long index) {
    int count = 0;
    for (int id = 1; id <= n; id++) if (sim.invariants().lastApplied(id) >= index) count++;
    return count;
  }

  public Long committedValue(long index) {
    LogEntry e = sim.invariants().committedAt(index);
    return e != null && e.command() instanceof TestCommand c ? c.value() : null;
  }

  /**
   * one(): proposes {@code value} (trying each connected node in turn) until some leader takes it and
   * {@code expectedServers} nodes apply it; fails after 10 s. Returns its index. Without
   * {@code retry}, a leader that took it but did not commit it within 2 s is a failure.
   */
  public long one(long value, int expectedServers, boolean retry) {
    return one(new TestCommand(value), expectedServers, retry);
  }

  public long one(TestCommand command, int expectedServers, boolean retry) {
    long deadline = sim.now() + 10_000 / TICK_MS;
    int starts = 0;
    while (sim.now() < deadline) {
      long index = -1;
      for (int k = 0; k < n && index < 0; k++) {
        starts = starts % n + 1;
        if (!connected[starts] || !sim.isUp(starts)) continue;
        TestInbox<RaftNode.ClientReply> reply = sim.propose(starts, command);
        long until = sim.now() + 2_000 / TICK_MS;
        sim.runUntil(reply::hasMessages, until - sim.now());
        if (!reply.hasMessages()) {
          if (!retry) fail("one(" + command + ") leader " + starts + " did not answer within 2s");
          break;
        }
        if (reply.receiveMessage() instanceof RaftNode.Applied a) index = a.index();
      }
      if (index > 0) {
        long finalIndex = index;
        long until = sim.now() + 2_000 / TICK_MS;
        boolean ok = sim.runUntil(() -> nCommitted(finalIndex) >= expectedServers, until - sim.now());
        if (ok && command.equals(sim.invariants().committedAt(index).command())) return index;
        if (!retry) fail("one(" + command + ") failed to reach agreement at index " + index);
      } else {
        sleepMs(50);
      }
    }
    fail("one(" + command + ") failed to reach agreement within 10s (seed " + sim.seed() + ")");
    return -1;
  }

  /** wait(): waits for {@code index} to be applied by {@code count} nodes; -1 if the term moves on first. */
  public Long waitCommitted(long index, int count, long startTerm) {
    long to = 10;
    for (int iters = 0; iters < 30; iters++) {
      if (nCommitted(index) >= count) break;
      sleepMs(to);
      if (to < 1000) to *= 2;
      if (startTerm > -1) {
        for (int id = 1; id <= n; id++) {
          RaftNode.Status s = status(id);
          if (s != null && s.term() > startTerm) return -1L;
        }
      }
    }
    if (nCommitted(index) < count) fail("only " + nCommitted(index) + " decided for index " + index + "; wanted " + count);
    return committedValue(index);
  }

  /** Start() without waiting: proposes at {@code id}, runs until it answers (at most 2 s), returns the reply or null. */
  public RaftNode.ClientReply start(int id, long value) {
    TestInbox<RaftNode.ClientReply> reply = sim.propose(id, new TestCommand(value));
    sim.runUntil(reply::hasMessages, 2_000 / TICK_MS);
    return reply.hasMessages() ? reply.receiveMessage() : null;
  }

  /** Proposes at {@code id} and returns the inbox at once, for concurrent proposals. */
  public TestInbox<RaftNode.ClientReply> startAsync(int id, long value) {
    return sim.propose(id, new TestCommand(value));
  }

  public RaftNode.Status statusOf(int id) {
    return status(id);
  }
}
