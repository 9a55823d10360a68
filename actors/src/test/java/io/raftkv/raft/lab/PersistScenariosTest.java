package io.raftkv.raft.lab;

import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.SimSeeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lab's persistence scenarios (3C): crashes lose all but what the log acknowledged. */
@ExtendWith(SimSeeds.class)
class PersistScenariosTest {

  @Test
  void Persist1() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(31), false);
    c.one(11, 3, true);
    for (int i = 1; i <= 3; i++) c.start1(i); // crash and restart all
    for (int i = 1; i <= 3; i++) {
      c.disconnect(i);
      c.connect(i);
    }
    c.one(12, 3, true);
    int leader1 = c.checkOneLeader();
    c.disconnect(leader1);
    c.start1(leader1);
    c.connect(leader1);
    c.one(13, 3, true);
    int leader2 = c.checkOneLeader();
    c.disconnect(leader2);
    long index14 = c.one(14, 2, true);
    c.start1(leader2);
    c.connect(leader2);
    c.waitCommitted(index14, 3, -1); // wait for leader2 to join before killing i3
    int i3 = c.checkOneLeader() % 3 + 1;
    c.disconnect(i3);
    c.one(15, 2, true);
    c.start1(i3);
    c.connect(i3);
    c.one(16, 3, true);
  }

  @Test
  void Persist2() {
    LabCluster c = new LabCluster(5, SimSeeds.seed(32), false);
    int index = 1;
    for (int iters = 0; iters < 5; iters++) {
      c.one(10 + index++, 5, true);
      int leader1 = c.checkOneLeader();
      c.disconnect(at(leader1, 1));
      c.disconnect(at(leader1, 2));
      c.one(10 + index++, 3, true);
      c.disconnect(at(leader1, 0));
      c.disconnect(at(leader1, 3));
      c.disconnect(at(leader1, 4));
      c.start1(at(leader1, 1));
      c.start1(at(leader1, 2));
      c.connect(at(leader1, 1));
      c.connect(at(leader1, 2));
      c.sleepMs(LabCluster.ELECTION_TIMEOUT_MS);
      c.start1(at(leader1, 3));
      c.connect(at(leader1, 3));
      c.one(10 + index++, 3, true);
      c.connect(at(leader1, 4));
      c.connect(at(leader1, 0));
    }
    c.one(1000, 5, true);
  }

  /** The lab's {@code (leader + k) % servers} with ids from 1. */
  private static int at(int leader, int k) {
    return (leader - 1 + k) % 5 + 1;
  }

  @Test
  void Persist3() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(33), false);
    c.one(101, 3, true);
    int leader = c.checkOneLeader();
    c.disconnect((leader + 1) % 3 + 1);
    c.one(102, 2, true);
    c.crash1(leader);
    c.crash1(leader % 3 + 1);
    c.connect((leader + 1) % 3 + 1);
    c.start1(leader);
    c.connect(leader);
    c.one(103, 2, true);
    c.start1(leader % 3 + 1);
    c.connect(leader % 3 + 1);
    c.one(104, 3, true);
  }

  /**
   * Figure 8 of the paper: leaders crash right after taking entries, and a node revived with an
   * old term's entries must not get them committed by counting replicas.
   */
  @Test
  void Figure8() {
    LabCluster c = new LabCluster(5, SimSeeds.seed(34), false);
    Random r = c.random();
    c.one(r.nextInt(1_000_000), 1, true);
    int nup = 5;
    for (int iters = 0; iters < 1000; iters++) {
      List<Integer> leaders = c.startAtEveryLeader(r.nextInt(1_000_000));
      c.sleepMs(r.nextInt(1000) < 100 ? r.nextInt(LabCluster.ELECTION_TIMEOUT_MS / 2) : r.nextInt(13));
      for (int leader : leaders) {
        if (c.alive(leader)) {
          c.crash1(leader);
          nup--;
        }
      }
      if (nup < 3) {
        int s = r.nextInt(5) + 1;
        if (!c.alive(s)) {
          c.start1(s);
          c.connect(s);
          nup++;
        }
      }
    }
    for (int i = 1; i <= 5; i++) {
      if (!c.alive(i)) {
        c.start1(i);
        c.connect(i);
      }
    }
    c.one(r.nextInt(1_000_000), 5, true);
  }

  @Test
  void UnreliableAgree() {
    LabCluster c = new LabCluster(5, SimSeeds.seed(35), true);
    List<Long> background = new ArrayList<>();
    for (int iters = 1; iters < 50; iters++) {
      for (int j = 0; j < 4; j++) {
        long v = 100L * iters + j;
        background.add(v);
        c.startAtEveryLeader(v); // the lab's concurrent one()s: proposed now, checked below
      }
      c.one(iters, 1, true);
    }
    c.setUnreliable(false);
    // The lab's concurrent one()s keep retrying until their value commits: do the same now.
    for (long v : background) {
      boolean committed = false;
      for (long i = 1; i <= c.sim().invariants().maxCommittedIndex() && !committed; i++) {
        Long got = c.committedValue(i);
        committed = got != null && got == v;
      }
      if (!committed) c.one(v, 1, true);
    }
    c.one(100, 5, true);
  }

  @Test
  void Figure8Unreliable() {
    LabCluster c = new LabCluster(5, SimSeeds.seed(36), true);
    Random r = c.random();
    c.one(r.nextInt(10_000), 1, true);
    int nup = 5;
    for (int iters = 0; iters < 1000; iters++) {
      if (iters == 200) c.setLongReordering(true);
      List<Integer> leaders = c.startAtEveryLeader(r.nextInt(10_000));
      int leader = -1;
      for (int l : leaders) if (c.connected(l)) leader = l;
      c.sleepMs(r.nextInt(1000) < 100 ? r.nextInt(LabCluster.ELECTION_TIMEOUT_MS / 2) : r.nextInt(13));
      if (leader != -1 && r.nextInt(1000) < LabCluster.ELECTION_TIMEOUT_MS / 2) {
        c.disconnect(leader);
        nup--;
      }
      if (nup < 3) {
        int s = r.nextInt(5) + 1;
        if (!c.connected(s)) {
          c.connect(s);
          nup++;
        }
      }
    }
    for (int i = 1; i <= 5; i++) if (!c.connected(i)) c.connect(i);
    c.one(r.nextInt(10_000), 5, true);
  }
}
