package io.raftkv.kv.sim;

import io.raftkv.raft.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The key-value campaigns' fault schedule, one roll at a time: 12% a node crashes (or, if down,
 * starts again), 12% the network splits in two (each node on the smaller side with odds 1/3), 16%
 * it heals, else nothing. The same random draws in the same order as ever, so a seed replays.
 */
public final class FaultRoll {
  private FaultRoll() {}

  /** One roll on {@code sim}'s nodes 1..{@code nodes}; whether it partitioned the network. */
  public static boolean roll(Simulator sim, Random r, int nodes) {
    int roll = r.nextInt(100);
    if (roll < 12) {
      int id = r.nextInt(nodes) + 1;
      if (sim.isUp(id)) sim.crash(id);
      else sim.start(id);
    } else if (roll < 24) {
      List<Integer> a = new ArrayList<>();
      List<Integer> b = new ArrayList<>();
      for (int id = 1; id <= nodes; id++) (r.nextInt(3) == 0 ? b : a).add(id);
      sim.partition(List.of(a, b));
      return true;
    } else if (roll < 40) {
      sim.heal();
    }
    return false;
  }
}
