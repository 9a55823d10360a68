package io.raftkv.kv.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.check.OpType;
import io.raftkv.check.Operation;
import io.raftkv.check.Outcome;
import io.raftkv.kv.lab.KvGeneric.Params;
import io.raftkv.kv.sim.KvCluster;
import io.raftkv.kv.sim.KvSimClient;
import io.raftkv.kv.sim.KvSimClient.Op;
import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.NetworkFaults;
import io.raftkv.raft.sim.SimSeeds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reference lab's key-value scenarios (4A/4B), in the simulator with the lab's bounds; every
 * one checks its whole client history for linearizability.
 */
@ExtendWith(SimSeeds.class)
class KvScenariosTest {
  private static final int MAXRAFTSTATE_ENTRIES = 20;

  private static void generic(long seed, int clients, int servers, boolean unreliable, boolean crash, boolean partitions,
      int snapshotEntries, boolean randomKeys) {
    KvGeneric.run(SimSeeds.seed(seed), new Params(clients, servers, unreliable, crash, partitions, snapshotEntries, randomKeys));
  }

  @Test void Basic() { generic(101, 1, 5, false, false, false, -1, false); }
  @Test void Concurrent() { generic(102, 5, 5, false, false, false, -1, false); }
  @Test void Unreliable() { generic(103, 5, 5, true, false, false, -1, false); }
  @Test void ManyPartitionsOneClient() { generic(104, 1, 5, false, false, true, -1, false); }
  @Test void ManyPartitionsManyClients() { generic(105, 5, 5, false, false, true, -1, false); }
  @Test void PersistOneClient() { generic(106, 1, 5, false, true, false, -1, false); }
  @Test void PersistConcurrent() { generic(107, 5, 5, false, true, false, -1, false); }
  @Test void PersistConcurrentUnreliable() { generic(108, 5, 5, true, true, false, -1, false); }
  @Test void PersistPartition() { generic(109, 5, 5, false, true, true, -1, false); }
  @Test void PersistPartitionUnreliable() { generic(110, 5, 5, true, true, true, -1, false); }
  @Test void PersistPartitionUnreliableLinearizable() { generic(111, 15, 7, true, true, true, -1, true); }
  @Test void SnapshotRecover() { generic(112, 1, 5, false, true, false, MAXRAFTSTATE_ENTRIES, false); }
  @Test void SnapshotRecoverManyClients() { generic(113, 20, 5, false, true, false, MAXRAFTSTATE_ENTRIES, false); }
  @Test void SnapshotUnreliable() { generic(114, 5, 5, true, false, false, MAXRAFTSTATE_ENTRIES, false); }
  @Test void SnapshotUnreliableRecover() { generic(115, 5, 5, true, true, false, MAXRAFTSTATE_ENTRIES, false); }
  @Test void SnapshotUnreliableRecoverConcurrentPartition() { generic(116, 5, 5, true, true, true, MAXRAFTSTATE_ENTRIES, false); }

  private static Operation ok(KvCluster kv, KvSimClient c, Op op) {
    Operation done = kv.runOp(c, op);
    assertEquals(Outcome.OK, done.outcome(), "operation did not complete: " + op);
    return done;
  }

  private static void check(KvCluster kv, KvSimClient c, String key, String expected) {
    assertEquals(expected, ok(kv, c, Op.get(key)).read(), "get(" + key + ")");
  }

  /** A minority partition cannot complete a put or a get; both complete once the partition heals. */
  @Test
  void OnePartition() {
    KvCluster kv = new KvCluster(5, SimSeeds.seed(120), NetworkFaults.reliable(), -1);
    KvSimClient ck = kv.client(kv.all(), null);
    ok(kv, ck, Op.put("1", "13"));
    int leader = kv.lab().checkOneLeader();
    List<Integer> p1 = new ArrayList<>(List.of(leader));
    List<Integer> p2 = new ArrayList<>();
    for (int id = 1; id <= 5; id++) if (id != leader) (p1.size() < 3 ? p1 : p2).add(id);
    kv.sim().partition(List.of(p1, p2));
    KvSimClient ckp1 = kv.client(p1, null);
    KvSimClient ckp2a = kv.client(p2, null);
    KvSimClient ckp2b = kv.client(p2, null);
    ok(kv, ckp1, Op.put("1", "14"));
    check(kv, ckp1, "1", "14");
    ckp2a.start(Op.put("1", "15"));
    ckp2b.start(Op.get("1"));
    kv.run(1000 / LabCluster.TICK_MS);
    assertTrue(!ckp2a.idle(), "put in minority completed");
    assertTrue(!ckp2b.idle(), "get in minority completed");
    check(kv, ckp1, "1", "14");
    ok(kv, ckp1, Op.put("1", "16"));
    check(kv, ckp1, "1", "16");
    kv.sim().heal();
    ckp2a.reach(kv.all());
    ckp2b.reach(kv.all());
    kv.run(LabCluster.ELECTION_TIMEOUT_MS / LabCluster.TICK_MS);
    long end = kv.sim().now() + 3000 / LabCluster.TICK_MS;
    while (!(ckp2a.idle() && ckp2b.idle()) && kv.sim().now() < end) kv.run(1);
    assertTrue(ckp2a.idle() && ckp2a.lastCompleted().outcome() == Outcome.OK, "put did not complete after the heal");
    assertTrue(ckp2b.idle(), "get did not complete after the heal");
    check(kv, ck, "1", "15");
    kv.assertLinearizable();
  }

  /** A lagging follower catches up through InstallSnapshot, and the log is trimmed meanwhile. */
  @Test
  void SnapshotRPC() {
    KvCluster kv = new KvCluster(3, SimSeeds.seed(121), NetworkFaults.reliable(), MAXRAFTSTATE_ENTRIES);
    KvSimClient ck = kv.client(kv.all(), null);
    ok(kv, ck, Op.put("a", "A"));
    check(kv, ck, "a", "A");
    kv.sim().partition(List.of(List.of(1, 2), List.of(3)));
    KvSimClient ck1 = kv.client(List.of(1, 2), null);
    for (int i = 0; i < 50; i++) ok(kv, ck1, Op.put(Integer.toString(i), Integer.toString(i)));
    kv.run(LabCluster.ELECTION_TIMEOUT_MS / LabCluster.TICK_MS);
    ok(kv, ck1, Op.put("b", "B"));
    assertTrue(kv.maxLogEntries() <= 8 * MAXRAFTSTATE_ENTRIES, "logs were not trimmed: " + kv.maxLogEntries());
    long chunks0 = kv.sim().snapshotChunksSentTo(3);
    kv.sim().partition(List.of(List.of(1, 3), List.of(2)));
    KvSimClient ck2 = kv.client(List.of(1, 3), null);
    ok(kv, ck2, Op.put("c", "C"));
    ok(kv, ck2, Op.put("d", "D"));
    check(kv, ck2, "a", "A");
    check(kv, ck2, "b", "B");
    check(kv, ck2, "1", "1");
    check(kv, ck2, "49", "49");
    assertTrue(kv.sim().snapshotChunksSentTo(3) > chunks0, "the lagging node caught up without InstallSnapshot");
    kv.sim().heal();
    ok(kv, ck, Op.put("e", "E"));
    check(kv, ck, "c", "C");
    check(kv, ck, "e", "E");
    check(kv, ck, "1", "1");
    kv.assertLinearizable();
  }

  /** The log stays under its bound and the snapshot stays small. */
  @Test
  void SnapshotSize() {
    KvCluster kv = new KvCluster(3, SimSeeds.seed(122), NetworkFaults.reliable(), MAXRAFTSTATE_ENTRIES);
    KvSimClient ck = kv.client(kv.all(), null);
    for (int i = 0; i < 200; i++) {
      ok(kv, ck, Op.put("x", "0"));
      check(kv, ck, "x", "0");
      ok(kv, ck, Op.put("x", "1"));
      check(kv, ck, "x", "1");
    }
    assertTrue(kv.maxLogEntries() <= 8 * MAXRAFTSTATE_ENTRIES, "logs were not trimmed: " + kv.maxLogEntries() + " entries");
    assertTrue(kv.maxSnapshotBytes() <= 500, "snapshot too large: " + kv.maxSnapshotBytes() + " bytes");
    assertTrue(kv.maxSnapshotBytes() > 0, "no snapshot taken");
    kv.assertLinearizable();
  }

  /** An operation does not wait for a heartbeat: 1000 appends average at most 33 simulated ms each. */
  @Test
  void SpeedKV() {
    KvCluster kv = new KvCluster(3, SimSeeds.seed(123), NetworkFaults.reliable(), -1);
    KvSimClient ck = kv.client(kv.all(), null);
    ok(kv, ck, Op.put("x", ""));
    long start = kv.sim().now();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      String v = "x 0 " + i + " y";
      ok(kv, ck, Op.append("x", v));
      expected.append(v);
    }
    double msPerOp = (kv.sim().now() - start) * (double) LabCluster.TICK_MS / 1000;
    check(kv, ck, "x", expected.toString());
    assertTrue(msPerOp <= 100.0 / 3, "operations completed too slowly: " + msPerOp + " simulated ms/op > 33");
    kv.assertLinearizable();
  }

  @Test
  void historyRecordsEveryOperationType() {
    KvCluster kv = new KvCluster(3, SimSeeds.seed(124), NetworkFaults.reliable(), -1);
    KvSimClient ck = kv.client(kv.all(), null);
    ok(kv, ck, Op.put("k", "a"));
    ok(kv, ck, Op.append("k", "b"));
    check(kv, ck, "k", "ab");
    assertEquals(Outcome.FAIL, kv.runOp(ck, Op.cas("k", "zz", "c")).outcome());
    ok(kv, ck, Op.cas("k", "ab", "c"));
    ok(kv, ck, Op.delete("k"));
    check(kv, ck, "k", null);
    ok(kv, ck, Op.cas("k", null, "new"));
    check(kv, ck, "k", "new");
    assertEquals(9, kv.history().size());
    assertTrue(kv.history().operations().stream().anyMatch(o -> o.f() == OpType.CAS && o.outcome() == Outcome.FAIL));
    kv.assertLinearizable();
  }
}
