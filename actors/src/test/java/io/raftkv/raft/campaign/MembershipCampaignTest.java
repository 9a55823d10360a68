package io.raftkv.raft.campaign;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.raft.MembershipSettings;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftSettings;
import io.raftkv.raft.core.ConfigurationChange;
import io.raftkv.raft.sim.LabCluster;
import io.raftkv.raft.sim.NetworkFaults;
import io.raftkv.raft.sim.SimSeeds;
import io.raftkv.raft.sim.Simulator;
import io.raftkv.raft.sim.TestCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Membership changes under faults: a cluster bootstrapped with voters 1-3 adds learners (promoted
 * by the leader once caught up, or, one in three, staying learners), removes members (the leader too, which hands over first) and
 * replaces dead ones (removed, disk wiped, a new id added), while the network drops, duplicates,
 * delays and partitions, nodes crash and restart, and snapshots are taken and sent (every few
 * entries: a new member usually catches up by one). Raft's safety properties are checked after
 * every step by the simulator; at the end, with the faults gone, the cluster must still commit on
 * every member of its configuration.
 */
@ExtendWith(SimSeeds.class)
class MembershipCampaignTest {
  private static final int SLOTS = 8; // ids 1-3 bootstrap; 4-8 join over the run; a removed id is never reused
  private static final List<Integer> BOOTSTRAP = List.of(1, 2, 3);
  private static final long SIM_SECONDS = 30;
  private static final int VOTERS_MAX = 5;

  record Outcome(String digest, long committed, long changes, long promotions, long removals, long replacements, long crashes,
      long simTicks, Configuration last) {}

  static IntFunction<RaftSettings> settings(boolean snapshots) {
    // Promotion after 30 ticks caught up (300 ms at the lab's 10 ms tick) within 5 entries: several per run.
    return id -> {
      RaftSettings s = RaftSettings.defaults(id, BOOTSTRAP).withMembership(new MembershipSettings(30, 5));
      return snapshots ? s.withSnapshots(20, 7) : s;
    };
  }

  /** A new member: a learner to be promoted, or (when {@code stays}) one that stays a learner, whose acknowledgements never count. */
  private static Member joiner(int id, boolean stays) {
    return new Member(id, "sim", 0, 0, id * 1_000L, false, !stays);
  }

  static Outcome runSeed(long seed, boolean snapshots) {
    Simulator sim = new Simulator(SLOTS, seed, NetworkFaults.unreliable().withSlowDisk(5), settings(snapshots));
    Random r = new Random(seed * 7919);
    List<TestInbox<RaftNode.ClientReply>> pending = new ArrayList<>();
    TreeSet<Integer> retired = new TreeSet<>(); // removed: never reused, kept down once wiped
    int nextId = 4;
    long changes = 0, removals = 0, replacements = 0, value = 0;
    long end = SIM_SECONDS * 1000 / LabCluster.TICK_MS;
    while (sim.now() < end) {
      int roll = r.nextInt(100);
      int leader = sim.leader();
      Configuration config = leader != 0 ? sim.members(leader).configuration() : null;
      if (roll < 8) {
        int id = r.nextInt(SLOTS) + 1;
        if (sim.isUp(id)) sim.crash(id);
        else if (!retired.contains(id)) sim.start(id);
      } else if (roll < 13) {
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        for (int id = 1; id <= SLOTS; id++) (r.nextBoolean() ? a : b).add(id);
        sim.partition(List.of(a, b));
      } else if (roll < 22) {
        sim.heal();
      } else if (roll < 34 && config != null) {
        int kind = r.nextInt(3);
        if (kind == 0 && nextId <= SLOTS && config.voters().size() < VOTERS_MAX) {
          pending.add(sim.changeMembership(leader, new ConfigurationChange.Add(joiner(nextId++, r.nextInt(3) == 0))));
        } else if (kind == 1 && config.voters().size() > 3 || kind == 2 && config.members().size() > 2) {
          // Remove a member; with kind 2 it is a node that died first, its disk lost (replaced by a new id later).
          List<Integer> ids = config.ids();
          int victim = ids.get(r.nextInt(ids.size()));
          // A disk is lost only while the other voters with their disks are still a majority: losing a majority for good is the one fault Raft cannot survive.
          long lostVoters = config.voters().stream().filter(v -> retired.contains(v) || v == victim).count();
          boolean survivable = lostVoters <= config.voters().size() - (config.voters().size() / 2 + 1);
          if (kind == 2 && victim != leader && survivable) {
            sim.crash(victim);
            sim.wipe(victim);
            retired.add(victim);
            replacements++;
          }
          pending.add(sim.changeMembership(leader, new ConfigurationChange.Remove(victim)));
          removals++;
        }
      }
      for (int k = r.nextInt(3); k > 0; k--) {
        int at = sim.leader();
        if (at != 0) sim.propose(at, new TestCommand(++value));
      }
      sim.run(1 + r.nextInt(60));
      pending.removeIf(inbox -> {
        if (!inbox.hasMessages()) return false;
        RaftNode.ClientReply reply = inbox.receiveMessage();
        return true;
      });
    }
    // The faults stop: every member that is not retired comes back, and the cluster must commit on all of them.
    sim.heal();
    sim.setFaults(NetworkFaults.reliable());
    for (int id = 1; id <= SLOTS; id++) if (!retired.contains(id) && !sim.isUp(id)) sim.start(id);
    removeRetired(sim, retired, seed);
    Configuration last = awaitLiveness(sim, ++value, seed);
    long promotions = last.voters().stream().filter(v -> v > 3).count();
    changes = sim.invariants().committedConfigurations().size();
    return new Outcome(sim.traceDigest(), sim.invariants().maxCommittedIndex(), changes, promotions, removals, replacements, sim.crashes(),
        sim.now(), last);
  }

  /** The dead nodes whose removal did not go through during the faults are removed now, as an operator would. */
  private static void removeRetired(Simulator sim, TreeSet<Integer> retired, long seed) {
    long deadline = sim.now() + 30_000 / LabCluster.TICK_MS;
    while (sim.now() < deadline) {
      sim.runUntil(() -> sim.leader() != 0, deadline - sim.now());
      int leader = sim.leader();
      if (leader == 0) break;
      Configuration config = sim.members(leader).configuration();
      Integer dead = config.ids().stream().filter(retired::contains).findFirst().orElse(null);
      if (dead == null && sim.members(leader).committed()) return;
      if (dead != null) {
        TestInbox<RaftNode.ClientReply> reply = sim.changeMembership(leader, new ConfigurationChange.Remove(dead));
        sim.runUntil(reply::hasMessages, 2_000 / LabCluster.TICK_MS);
      } else {
        sim.run(10);
      }
    }
    throw new AssertionError("seed " + seed + ": the dead nodes " + retired + " could not be removed within 30 simulated s");
  }

  /** Proposes at the leader until a write is applied by every member of the leader's configuration; returns that configuration. */
  private static Configuration awaitLiveness(Simulator sim, long value, long seed) {
    long deadline = sim.now() + 30_000 / LabCluster.TICK_MS;
    while (sim.now() < deadline) {
      sim.runUntil(() -> sim.leader() != 0, deadline - sim.now());
      int leader = sim.leader();
      if (leader == 0) break;
      TestInbox<RaftNode.ClientReply> reply = sim.propose(leader, new TestCommand(value));
      sim.runUntil(reply::hasMessages, 2_000 / LabCluster.TICK_MS);
      if (reply.hasMessages() && reply.receiveMessage() instanceof RaftNode.Applied a) {
        Configuration config = sim.members(leader).configuration();
        boolean all = sim.runUntil(() -> config.ids().stream().allMatch(id -> sim.invariants().lastApplied(id) >= a.index()), 5_000 / LabCluster.TICK_MS);
        if (all) return config;
      }
    }
    throw new AssertionError("seed " + seed + ": no write reached every member within 30 simulated s after the faults stopped; members "
        + (sim.leader() == 0 ? "unknown (no leader)" : sim.members(sim.leader()).configuration()));
  }

  @Test
  void safetyHoldsWhileMembersChangeUnderFaults() {
    int seeds = Integer.getInteger("raftkv.campaign.seeds", 24);
    long base = SimSeeds.seed(5000);
    long changes = 0, promotions = 0, removals = 0, replacements = 0, committed = 0, ticks = 0;
    long started = System.nanoTime();
    for (long s = base; s < base + seeds; s++) {
      SimSeeds.using(s);
      Outcome o = runSeed(s, s % 2 == 0);
      changes += o.changes();
      promotions += o.promotions();
      removals += o.removals();
      replacements += o.replacements();
      committed += o.committed();
      ticks += o.simTicks();
      assertTrue(o.last().voters().size() >= 1, "seed " + s);
    }
    System.out.printf("membership campaign: %d seeds, %d configuration changes committed, %d joined voters at the end, %d removals asked, "
        + "%d replacements, %d entries committed, %.0f simulated s in %.1f wall s%n", seeds, changes, promotions, removals, replacements,
        committed, ticks * LabCluster.TICK_MS / 1000.0, (System.nanoTime() - started) / 1e9);
    assertTrue(changes >= seeds, "the campaign must change membership: " + changes + " changes in " + seeds + " seeds");
    assertTrue(promotions > 0, "some learner must have been promoted");
  }

  @Test
  void sameSeedSameTrace() {
    SimSeeds.assertSameTraceForSameSeed(SimSeeds.seed(5077), s -> runSeed(s, true).digest());
  }
}
