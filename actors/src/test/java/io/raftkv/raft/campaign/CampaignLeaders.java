package io.raftkv.raft.campaign;

import io.raftkv.raft.RaftNode;
import io.raftkv.raft.sim.Simulator;

/** Who leads a simulated cluster now, for the campaigns that steer by it. */
final class CampaignLeaders {
  private CampaignLeaders() {}

  /** The node that leads now among nodes 1..{@code slots}, as its own status says (the highest term if several think so), or 0. */
  static int leader(Simulator sim, int slots) {
    int leader = 0;
    long term = -1;
    for (int id = 1; id <= slots; id++) {
      if (!sim.isUp(id)) continue;
      RaftNode.Status s = sim.status(id);
      if (s != null && s.role() == RaftNode.Role.LEADER && s.term() > term) {
        leader = id;
        term = s.term();
      }
    }
    return leader;
  }
}
