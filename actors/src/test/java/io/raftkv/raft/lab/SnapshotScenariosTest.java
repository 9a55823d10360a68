package io.raftkv.raft.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.NetworkFaults;
import io.raftkv.raft.sim.SimSeeds;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lab's snapshot scenarios (3D): the state machine is snapshotted every 10 entries
 * (SnapShotInterval), the log stays under 2000 bytes (MAXLOGSIZE), and lagging or restarted
 * followers catch up through InstallSnapshot, sent here in 5-byte chunks so every install takes
 * several.
 */
@ExtendWith(SimSeeds.class)
class SnapshotScenariosTest {
  private static final int SNAPSHOT_INTERVAL = 10;
  private static final int MAX_LOG_SIZE_BYTES = 2000;
  private static final int CHUNK_BYTES = 5;

  private static LabCluster cluster(long seed, boolean reliable) {
    return new LabCluster(3, seed, reliable ? NetworkFaults.reliable() : NetworkFaults.unreliable(),
        LabCluster.snapshotSettings(3, SNAPSHOT_INTERVAL, CHUNK_BYTES));
  }

  /** The lab's snapcommon. */
  private static void snapcommon(long seed, boolean disconnect, boolean reliable, boolean crash) {
    LabCluster c = run(seed, disconnect, reliable, crash);
    if (disconnect || crash) {
      assertTrue(c.sim().snapshotChunksSent() > 0, "no follower needed InstallSnapshot: the scenario did not test it");
    }
  }

  private static LabCluster run(long seed, boolean disconnect, boolean reliable, boolean crash) {
    LabCluster c = cluster(seed, reliable);
    Random r = c.random();
    c.one(r.nextInt(1_000_000), 3, true);
    int leader1 = c.checkOneLeader();
    for (int i = 0; i < 30; i++) {
      int victim = leader1 % 3 + 1;
      int sender = leader1;
      if (i % 3 == 1) {
        sender = leader1 % 3 + 1;
        victim = leader1;
      }
      if (disconnect) {
        c.disconnect(victim);
        c.one(r.nextInt(1_000_000), 2, true);
      }
      if (crash) {
        c.crash1(victim);
        c.one(r.nextInt(1_000_000), 2, true);
      }
      // Perhaps send enough to get a snapshot.
      int nn = SNAPSHOT_INTERVAL / 2 + r.nextInt(SNAPSHOT_INTERVAL);
      for (int k = 0; k < nn; k++) if (c.alive(sender)) c.startAsync(sender, r.nextInt(1_000_000));
      // Let the appliers catch up with the Start()s.
      c.one(r.nextInt(1_000_000), disconnect || crash ? 2 : 3, true);
      long size = c.maxLogSizeBytes();
      assertTrue(size < MAX_LOG_SIZE_BYTES, "log size too large: " + size + " bytes");
      if (disconnect) {
        // Reconnect a follower, who may be behind and need to receive a snapshot to catch up.
        c.connect(victim);
        c.one(r.nextInt(1_000_000), 3, true);
        leader1 = c.checkOneLeader();
      }
      if (crash) {
        c.start1(victim);
        c.connect(victim);
        c.one(r.nextInt(1_000_000), 3, true);
        leader1 = c.checkOneLeader();
      }
    }
    return c;
  }

  @Test
  void SnapshotBasic() {
    snapcommon(SimSeeds.seed(51), false, true, false);
  }

  @Test
  void SnapshotInstall() {
    snapcommon(SimSeeds.seed(52), true, true, false);
  }

  @Test
  void SnapshotInstallUnreliable() {
    snapcommon(SimSeeds.seed(53), true, false, false);
  }

  @Test
  void SnapshotInstallCrash() {
    snapcommon(SimSeeds.seed(54), false, true, true);
  }

  @Test
  void SnapshotInstallUnCrash() {
    snapcommon(SimSeeds.seed(55), false, false, true);
  }

  /** Crash and restart all nodes from their snapshots; the log index must never go back. */
  @Test
  void SnapshotAllCrash() {
    LabCluster c = cluster(SimSeeds.seed(56), true);
    Random r = c.random();
    c.one(r.nextInt(1_000_000), 3, true);
    for (int i = 0; i < 5; i++) {
      int nn = SNAPSHOT_INTERVAL / 2 + r.nextInt(SNAPSHOT_INTERVAL);
      for (int k = 0; k < nn; k++) c.one(r.nextInt(1_000_000), 3, true);
      long index1 = c.one(r.nextInt(1_000_000), 3, true);
      for (int id = 1; id <= 3; id++) c.crash1(id);
      for (int id = 1; id <= 3; id++) {
        c.start1(id);
        c.connect(id);
      }
      long index2 = c.one(r.nextInt(1_000_000), 3, true);
      assertTrue(index2 >= index1 + 1, "index decreased from " + index1 + " to " + index2);
    }
  }

  /** A restart must initialise the snapshot state, so that what is persisted after it does not lose the snapshot. */
  @Test
  void SnapshotInit() {
    LabCluster c = cluster(SimSeeds.seed(57), true);
    Random r = c.random();
    c.one(r.nextInt(1_000_000), 3, true);
    for (int k = 0; k < SNAPSHOT_INTERVAL + 1; k++) c.one(r.nextInt(1_000_000), 3, true);
    for (int id = 1; id <= 3; id++) c.crash1(id);
    for (int id = 1; id <= 3; id++) {
      c.start1(id);
      c.connect(id);
    }
    c.one(r.nextInt(1_000_000), 3, true); // something to write back to the log
    for (int id = 1; id <= 3; id++) c.crash1(id);
    for (int id = 1; id <= 3; id++) {
      c.start1(id);
      c.connect(id);
    }
    c.one(r.nextInt(1_000_000), 3, true); // would trip over a lost snapshot
    assertTrue(c.sim().durableState(1).snapshotIndex() > 0, "no snapshot was taken");
  }
}
