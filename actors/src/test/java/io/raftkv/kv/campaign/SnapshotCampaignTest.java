package io.raftkv.kv.campaign;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.check.CheckResult;
import io.raftkv.check.Verdict;
import io.raftkv.kv.sim.KvCluster;
import io.raftkv.kv.sim.KvSimClient;
import io.raftkv.kv.sim.KvSimClient.Op;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.NetworkFaults;
import io.raftkv.raft.sim.SimSeeds;
import io.raftkv.raft.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Snapshot, compaction and leader change together, where Raft stores have lost data: the key-value
 * cluster snapshots every few entries in the background while clients keep writing; a follower
 * that was down while the others compacted past its log comes back during a partition and is sent
 * a snapshot while its leader is deposed; the partition heals and the old leader, behind, catches
 * up. Every run's client history must be linearizable, and across the seeds the three things the
 * scenario is about must have happened: entries applied while a snapshot was being written, a
 * snapshot installed, and an install whose chunks came from two leaders.
 */
@ExtendWith(SimSeeds.class)
class SnapshotCampaignTest {
  private static final int NODES = 5;
  private static final int SNAPSHOT_ENTRIES = 20;
  private static final int KEYS = 16;
  private static final long TICKS_PER_SECOND = 1000 / LabCluster.TICK_MS;

  @Test
  @DisplayName("§7 snapshots taken while writes go on, installed across a leader change and a healed partition, stay linearizable")
  void snapshotsUnderLeaderChangesAndPartitions() {
    int seeds = Integer.getInteger("raftkv.kv.snapshot-campaign.seeds", 30);
    long base = SimSeeds.seed(7000);
    long appliedDuringWrites = 0, writes = 0, adopted = 0, installed = 0, acrossLeaders = 0, operations = 0;
    for (long s = base; s < base + seeds; s++) {
      SimSeeds.using(s);
      KvCluster kv = new KvCluster(NODES, s, NetworkFaults.unreliable(), SNAPSHOT_ENTRIES);
      Simulator sim = kv.sim();
      Random r = new Random(s * 7919 + 11);
      int[] counter = new int[KvCampaign.CLIENTS];
      for (int i = 0; i < KvCampaign.CLIENTS; i++) kv.client(kv.all(), (c, rnd) -> op(c, rnd, counter));
      kv.run(2 * TICKS_PER_SECOND);

      // A follower is down while the others write and compact past its log.
      int leader = leader(sim);
      int behind = other(r, leader, -1);
      sim.crash(behind);
      kv.run(3 * TICKS_PER_SECOND);

      // The old leader and one follower are cut off; the rest elect a leader and bring the late follower back.
      int oldLeader = leader(sim);
      int companion = other(r, oldLeader, behind);
      List<Integer> majority = new ArrayList<>();
      for (int id = 1; id <= NODES; id++) if (id != oldLeader && id != companion) majority.add(id);
      sim.partition(List.of(List.of(oldLeader, companion), majority));
      sim.start(behind);
      kv.run(TICKS_PER_SECOND / 2 + r.nextInt((int) TICKS_PER_SECOND));
      // Depose the majority's leader while the snapshot may be on its way.
      int newLeader = leaderAmong(sim, majority);
      if (newLeader != 0 && newLeader != behind) {
        sim.crash(newLeader);
        kv.run(TICKS_PER_SECOND);
        sim.start(newLeader);
      }
      kv.run(TICKS_PER_SECOND);
      sim.heal();
      kv.run(3 * TICKS_PER_SECOND);

      sim.setFaults(NetworkFaults.reliable());
      kv.drainClients(3 * TICKS_PER_SECOND);
      CheckResult result = kv.assertLinearizable();
      assertNotEquals(Verdict.NOT_LINEARIZABLE, result.verdict(), "seed " + s);
      appliedDuringWrites += sim.appliedDuringSnapshotWrites();
      writes += sim.snapshotWrites();
      adopted += sim.snapshotsAdopted();
      installed += sim.snapshotsInstalled();
      acrossLeaders += sim.installsAcrossLeaders();
      operations += kv.history().size();
    }
    System.out.printf("snapshot campaign: %d seeds from %d, %d operations checked, %d snapshots written, %d entries applied"
            + " while one was written, %d installed, %d of them from two leaders%n",
        seeds, base, operations, writes, appliedDuringWrites, installed, acrossLeaders);
    assertTrue(adopted > 0 && adopted <= writes, adopted + " snapshots reported written of " + writes + " writes run");
    assertTrue(appliedDuringWrites > 0, "no entry was applied while a snapshot was being written");
    assertTrue(installed > 0, "no snapshot was installed");
    assertTrue(acrossLeaders > 0, "no install had its chunks from two leaders");
  }

  /**
   * Puts, appends, deletes and reads on {@value #KEYS} keys with values of 50-300 bytes: a state of a
   * few KiB, so that a snapshot takes dozens of chunks and is still being sent when its leader goes.
   */
  private static Op op(KvSimClient c, Random r, int[] counter) {
    String key = "k" + r.nextInt(KEYS);
    String v = c.process() + "." + counter[c.process()]++ + "-" + "x".repeat(50 + r.nextInt(250));
    int roll = r.nextInt(100);
    if (roll < 30) return Op.get(key);
    if (roll < 75) return Op.put(key, v);
    if (roll < 85) return Op.append(key, v);
    return Op.delete(key);
  }

  /** The leader of the highest term among the live nodes (0: none). */
  private static int leader(Simulator sim) {
    List<Integer> all = new ArrayList<>();
    for (int id = 1; id <= sim.size(); id++) all.add(id);
    return leaderAmong(sim, all);
  }

  private static int leaderAmong(Simulator sim, List<Integer> ids) {
    int leader = 0;
    long term = -1;
    for (int id : ids) {
      RaftNode.Status s = sim.status(id);
      if (s != null && s.role() == RaftNode.Role.LEADER && s.term() > term) {
        leader = id;
        term = s.term();
      }
    }
    return leader;
  }

  /** A node id other than {@code a} and {@code b}. */
  private static int other(Random r, int a, int b) {
    int id;
    do {
      id = 1 + r.nextInt(NODES);
    } while (id == a || id == b);
    return id;
  }
}
