package io.raftkv.raft.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.SimSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lab's leader election scenarios (3A), in simulated time with the lab's bounds. */
@ExtendWith(SimSeeds.class)
class ElectionScenariosTest {

  @Test
  void InitialElection() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(1), false);
    c.checkOneLeader();
    c.sleepMs(50);
    long term1 = c.checkTerms();
    assertTrue(term1 >= 1, "term is " + term1 + ", but should be at least 1");
    c.sleepMs(2 * LabCluster.ELECTION_TIMEOUT_MS);
    long term2 = c.checkTerms();
    assertEquals(term1, term2, "term changed with no failures");
    c.checkOneLeader();
  }

  @Test
  void ReElection() {
    LabCluster c = new LabCluster(3, SimSeeds.seed(2), false);
    int leader1 = c.checkOneLeader();
    c.disconnect(leader1);
    c.checkOneLeader();
    c.connect(leader1);
    int leader2 = c.checkOneLeader();
    c.disconnect(leader2);
    c.disconnect(leader2 % 3 + 1);
    c.sleepMs(2 * LabCluster.ELECTION_TIMEOUT_MS);
    c.checkNoLeader();
    c.connect(leader2 % 3 + 1);
    c.checkOneLeader();
    c.connect(leader2);
    c.checkOneLeader();
  }

  @Test
  void ManyElections() {
    LabCluster c = new LabCluster(7, SimSeeds.seed(3), false);
    c.checkOneLeader();
    for (int ii = 1; ii < 10; ii++) {
      int i1 = c.random().nextInt(7) + 1;
      int i2 = c.random().nextInt(7) + 1;
      int i3 = c.random().nextInt(7) + 1;
      c.disconnect(i1);
      c.disconnect(i2);
      c.disconnect(i3);
      c.checkOneLeader(); // either the current leader is still alive, or the remaining four elect one
      c.connect(i1);
      c.connect(i2);
      c.connect(i3);
    }
    c.checkOneLeader();
  }
}
