package io.raftkv.kv.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.check.CheckResult;
import io.raftkv.check.OpType;
import io.raftkv.check.Operation;
import io.raftkv.check.Outcome;
import io.raftkv.check.Verdict;
import io.raftkv.kv.sim.KvCluster;
import io.raftkv.kv.sim.KvSimClient;
import io.raftkv.kv.sim.KvSimClient.Op;
import io.raftkv.persistence.kv.KvStateMachine;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Membership changes under faults, seen by key-value clients: a cluster bootstrapped with voters
 * 1-3 grows to five voters and shrinks back to three, one server at a time (dissertation §4.1),
 * removes its leader (which hands over first), and replaces members the documented way (remove node
 * N, wipe its disk, start it empty in a new data directory and add it back under the same id as a
 * new learner, so the identity checks must let it in), while clients write and read through the KV
 * layer and the network drops, duplicates, reorders and partitions, nodes crash and restart, and
 * snapshots are taken every {@value #SNAPSHOT_ENTRIES} entries, so that a new member gets the state
 * by snapshot install. The simulator checks Raft's safety after every step; at the end no node may
 * have been refused as a wiped member, every member must hold the same state, every client history
 * must be linearizable, and every acknowledged append to the append-only keys must be in their
 * final value exactly once. {@code -Draftkv.kv.membership-campaign.seeds=N} runs more seeds.
 */
@ExtendWith(SimSeeds.class)
class KvMembershipCampaignTest {
  private static final int SLOTS = 6; // node ids 1-6: 1-3 bootstrap, 4-6 join over the run; an id removed may come back wiped
  private static final List<Integer> BOOTSTRAP = List.of(1, 2, 3);
  private static final int VOTERS_MIN = 3;
  private static final int VOTERS_MAX = 5;
  private static final int CLIENTS = 5;
  private static final int SNAPSHOT_ENTRIES = 20;
  private static final long TICKS_PER_SECOND = 1000 / LabCluster.TICK_MS;
  private static final long FAULT_SECONDS = 20;
  private static final long TASK_TICKS_MAX = 10 * TICKS_PER_SECOND; // a membership task not done by then is given up
  private static final long ASK_AGAIN_TICKS = 100; // a change request unanswered this long is sent again
  /** Keys that only ever get appends: every acknowledged append must be in their final value, exactly once. */
  private static final List<String> APPEND_ONLY = List.of("log0", "log1");

  /** What one seed did, for the campaign's report and its floors. */
  record Run(String digest, long changes, boolean grewToFive, boolean shrankToThree, long leaderRemovals, long replacements,
      long tasksGivenUp, long installsOnNewMembers, int operations, long okReads, long acknowledgedAppends, Verdict verdict, long crashes,
      long simTicks) {}

  /**
   * Node {@code id}'s settings at each (re)start: it runs on data directory {@code directory[id - 1]};
   * a bootstrap voter knows the bootstrap voters until it is renewed; a renewed node, like any node
   * that joins a running cluster, knows none and learns the configuration from the leader. Learners
   * are promoted after 30 ticks within 5 entries.
   */
  static IntFunction<RaftSettings> settings(Set<Integer> renewed, long[] directory) {
    return KvCluster.settings(id -> RaftSettings.defaults(id, BOOTSTRAP.contains(id) && !renewed.contains(id) ? BOOTSTRAP : List.of())
        .withMembership(new MembershipSettings(30, 5)).withIncarnation(directory[id - 1]), SNAPSHOT_ENTRIES, false);
  }

  /**
   * A third of the operations append to or read the append-only keys (the reads keep their histories
   * checkable: without them every order of concurrent appends is a different value until the last
   * read), the rest are the KV campaign's mix on its keys.
   */
  private static Op op(KvSimClient c, Random r, int[] counter) {
    int roll = r.nextInt(6);
    String log = APPEND_ONLY.get(r.nextInt(APPEND_ONLY.size()));
    if (roll == 0) return Op.append(log, c.process() + "." + counter[c.process()]++ + ";");
    if (roll == 1) return Op.get(log);
    return KvCampaign.randomOp(c, r, counter);
  }

  /**
   * The operator: one membership task at a time, each asked of the leader of the moment and retried
   * until the leader's committed configuration shows it done (a reply says little: the leader may
   * change before the entry commits, and a removed leader answers with the voter it hands over to).
   */
  private static final class Operator {
    enum Kind { GROW, SHRINK, REMOVE_LEADER, REPLACE }

    enum Phase { REMOVE, RENEW, ADD, PROMOTE, DONE }

    private final Simulator sim;
    private final Random random;
    private final Set<Integer> renewed; // read by the settings: these ids restart knowing no voters
    private final long[] directory; // read by the settings: each node's data directory, a new one at every wipe
    final Set<Integer> stopped = new TreeSet<>(); // removed nodes stopped as the node process stops itself: no fault restarts them
    private final TreeMap<Integer, Long> installsBefore = new TreeMap<>(); // snapshot installs of a node before its first renewal
    private boolean growing = true; // toward five voters, else toward three
    private Kind kind;
    private int target;
    private boolean targetLed; // the target led when the task started
    private Phase phase;
    private long taskStarted;
    private long nextTaskAt;
    private TestInbox<RaftNode.ClientReply> asked;
    private long askedAt;
    private long directories; // data directories made so far
    long leaderRemovals, replacements, givenUp;

    Operator(Simulator sim, Random random, Set<Integer> renewed, long[] directory) {
      this.sim = sim;
      this.random = random;
      this.renewed = renewed;
      this.directory = directory;
      directories = directory.length;
    }

    boolean busy() {
      return kind != null;
    }

    /** One look at the cluster: moves the task in progress on, or starts one (unless {@code newTasks} is false). */
    void step(boolean newTasks) {
      int leader = sim.leader();
      if (leader == 0) return;
      RaftNode.Members members = sim.members(leader);
      Configuration config = members.configuration();
      if (kind == null) {
        if (newTasks && members.committed() && sim.now() >= nextTaskAt) choose(leader, config);
        if (kind == null) return;
      }
      if (sim.now() - taskStarted > TASK_TICKS_MAX) {
        givenUp++;
        finish();
        return;
      }
      switch (phase) {
        case REMOVE -> {
          if (members.committed() && !config.contains(target)) {
            if (targetLed) leaderRemovals++;
            if (kind == Kind.REPLACE) {
              phase = Phase.RENEW;
            } else {
              if (random.nextBoolean()) stop(target); // else it stays up, a removed node nobody stopped
              phase = Phase.DONE;
            }
          } else {
            ask(leader, new ConfigurationChange.Remove(target));
          }
        }
        case RENEW -> {
          // Its removal is committed: its disk is wiped and it starts empty in a new data directory, knowing no voters, as a new node.
          sim.crash(target);
          sim.wipe(target);
          directory[target - 1] = ++directories;
          if (renewed.add(target)) installsBefore.put(target, sim.snapshotsInstalledOn(target));
          stopped.remove(target);
          sim.start(target);
          if (kind == Kind.REPLACE) replacements++;
          phase = Phase.ADD;
        }
        case ADD -> {
          if (config.contains(target)) phase = Phase.PROMOTE;
          else ask(leader, new ConfigurationChange.Add(new Member(target, "sim", 0, 0, directory[target - 1], false, true)));
        }
        case PROMOTE -> {
          if (members.committed() && config.isVoter(target)) phase = Phase.DONE; // the leader promotes it once it has caught up
        }
        case DONE -> { }
      }
      if (phase == Phase.DONE) finish();
    }

    /** Snapshots installed on nodes since they started empty as new members. */
    long installsOnNewMembers() {
      long installs = 0;
      for (var e : installsBefore.entrySet()) installs += sim.snapshotsInstalledOn(e.getKey()) - e.getValue();
      return installs;
    }

    /** Grows toward five voters, then shrinks toward three, and so on; a third of the tasks replace a member instead. */
    private void choose(int leader, Configuration config) {
      int voters = config.voters().size();
      if (voters >= VOTERS_MAX) growing = false;
      if (voters <= VOTERS_MIN) growing = true;
      List<Integer> spares = new ArrayList<>();
      for (int id = 1; id <= SLOTS; id++) if (!config.contains(id)) spares.add(id);
      List<Integer> others = new ArrayList<>(config.voters());
      others.remove(Integer.valueOf(leader));
      if (random.nextInt(3) == 0 && voters >= VOTERS_MIN) {
        List<Integer> ids = config.ids();
        start(Kind.REPLACE, random.nextInt(4) == 0 ? leader : ids.get(random.nextInt(ids.size())), Phase.REMOVE);
      } else if (growing && !spares.isEmpty()) {
        start(Kind.GROW, spares.get(random.nextInt(spares.size())), Phase.RENEW);
      } else if (!growing && random.nextInt(3) == 0) {
        start(Kind.REMOVE_LEADER, leader, Phase.REMOVE);
      } else if (!growing && !others.isEmpty()) {
        start(Kind.SHRINK, others.get(random.nextInt(others.size())), Phase.REMOVE);
      }
    }

    private void start(Kind k, int id, Phase first) {
      kind = k;
      target = id;
      targetLed = id == sim.leader();
      phase = first;
      taskStarted = sim.now();
      asked = null;
    }

    private void finish() {
      kind = null;
      asked = null;
      nextTaskAt = sim.now() + random.nextInt(100);
    }

    private void stop(int id) {
      sim.crash(id);
      stopped.add(id);
    }

    private void ask(int leader, ConfigurationChange change) {
      if (asked != null && !asked.hasMessages() && sim.now() - askedAt < ASK_AGAIN_TICKS) return;
      asked = sim.changeMembership(leader, change);
      askedAt = sim.now();
    }
  }

  static Run runSeed(long seed) {
    Set<Integer> renewed = new TreeSet<>();
    long[] directory = new long[SLOTS];
    for (int i = 0; i < SLOTS; i++) directory[i] = i + 1;
    NetworkFaults faults = NetworkFaults.unreliable().withSlowDisk(4);
    KvCluster kv = new KvCluster(SLOTS, seed, faults, settings(renewed, directory));
    Simulator sim = kv.sim();
    Random r = new Random(seed * 7919 + 5);
    Operator operator = new Operator(sim, new Random(seed * 104729 + 7), renewed, directory);
    int[] counter = new int[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) kv.client(kv.all(), (c, rnd) -> op(c, rnd, counter));
    long end = sim.now() + FAULT_SECONDS * TICKS_PER_SECOND;
    while (sim.now() < end) {
      int roll = r.nextInt(100);
      if (roll < 8) {
        int id = r.nextInt(SLOTS) + 1;
        if (sim.isUp(id)) sim.crash(id);
        else if (!operator.stopped.contains(id)) sim.start(id);
      } else if (roll < 14) {
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        for (int id = 1; id <= SLOTS; id++) (r.nextInt(3) == 0 ? b : a).add(id);
        sim.partition(List.of(a, b));
      } else if (roll < 16) {
        sim.setFaults(faults.withLongReordering()); // replies held back up to 2.4 s until the next heal
      } else if (roll < 30) {
        sim.heal();
        sim.setFaults(faults);
      }
      operator.step(true);
      kv.run(5 + r.nextInt(40));
    }

    // The faults stop; every node not stopped comes back, and the task in progress runs to its end.
    sim.heal();
    sim.setFaults(NetworkFaults.reliable());
    for (int id = 1; id <= SLOTS; id++) if (!operator.stopped.contains(id)) sim.start(id);
    long settle = sim.now() + 15 * TICKS_PER_SECOND;
    while (operator.busy() && sim.now() < settle) {
      operator.step(false);
      kv.run(10);
    }
    kv.drainClients(3 * TICKS_PER_SECOND);

    // Every key read back through a new client, into the same history.
    KvSimClient reader = kv.client(kv.all(), null);
    TreeMap<String, Operation> finalReads = new TreeMap<>();
    List<String> keys = new ArrayList<>(APPEND_ONLY);
    for (int k = 0; k < KvCampaign.KEYS; k++) keys.add("k" + k);
    for (String key : keys) {
      Operation read = kv.runOp(reader, Op.get(key));
      if (read == null || read.outcome() != Outcome.OK) {
        throw new AssertionError("seed " + seed + ": the final read of " + key + " did not complete: " + read + "; " + clusterState(sim));
      }
      finalReads.put(key, read);
    }
    assertMembersAgree(sim, seed);
    assertEquals(0, sim.refusals(), "seed " + seed + ": a node following the documented replacement was refused as a wiped member");

    CheckResult result = kv.assertLinearizable();
    long acknowledgedAppends = assertAppendsKept(kv.history().operations(), finalReads, seed);
    long okReads = kv.history().operations().stream().filter(o -> o.f() == OpType.GET && o.outcome() == Outcome.OK && o.read() != null).count();

    List<Configuration> configs = sim.invariants().committedConfigurations();
    boolean grewToFive = false, shrankToThree = false;
    for (Configuration c : configs) {
      if (c.voters().size() == VOTERS_MAX) grewToFive = true;
      if (grewToFive && c.voters().size() == VOTERS_MIN) shrankToThree = true;
    }
    return new Run(sim.traceDigest(), configs.size(), grewToFive, shrankToThree, operator.leaderRemovals, operator.replacements,
        operator.givenUp, operator.installsOnNewMembers(), kv.history().size(), okReads, acknowledgedAppends, result.verdict(), sim.crashes(), sim.now());
  }

  /**
   * Every member of the leader's configuration applies everything the leader committed, and then
   * holds exactly the leader's state, sessions included: a member that got the state by snapshot
   * install holds what one that applied every entry holds.
   */
  private static void assertMembersAgree(Simulator sim, long seed) {
    boolean settled = sim.runUntil(() -> {
      int leader = sim.leader();
      if (leader == 0) return false;
      RaftNode.Members members = sim.members(leader);
      long commit = sim.status(leader).commitIndex();
      return members.committed()
          && members.configuration().ids().stream().allMatch(id -> sim.isUp(id) && sim.status(id).lastApplied() == commit);
    }, 30 * TICKS_PER_SECOND);
    if (!settled) {
      throw new AssertionError("seed " + seed + ": the members did not all apply the leader's commit index within 30 simulated s after"
          + " the faults stopped; " + clusterState(sim));
    }
    int leader = sim.leader();
    byte[] expected = sim.machine(leader).snapshot();
    for (int id : sim.members(leader).configuration().ids()) {
      assertArrayEquals(expected, sim.machine(id).snapshot(), "seed " + seed + ": member " + id + "'s state differs from leader " + leader
          + "'s at index " + ((KvStateMachine) sim.machine(leader)).lastAppliedIndex());
    }
  }

  /** The leader's view of the members and every node's status, then the last events: for a failure report. */
  private static String clusterState(Simulator sim) {
    int leader = sim.leader();
    StringBuilder s = new StringBuilder(leader == 0 ? "no leader" : "leader " + leader + "'s view: " + sim.members(leader));
    for (int id = 1; id <= SLOTS; id++) s.append("\n  ").append(sim.isUp(id) ? sim.status(id) + (sim.refused(id) ? " (refused)" : "") : "n" + id + " down");
    return s.append("\nlast events:\n").append(sim.recentTrace()).toString();
  }

  /**
   * No acknowledged write lost, none applied twice: each append-only key's final value holds every
   * append acknowledged to it exactly once, those of unknown outcome at most once, and nothing else.
   * Returns how many appends were acknowledged.
   */
  private static long assertAppendsKept(List<Operation> history, TreeMap<String, Operation> finalReads, long seed) {
    long acknowledged = 0;
    for (String key : APPEND_ONLY) {
      String value = finalReads.get(key).read();
      TreeMap<String, Integer> found = new TreeMap<>();
      if (value != null) for (String token : value.split(";")) found.merge(token, 1, Integer::sum);
      TreeSet<String> attempted = new TreeSet<>();
      for (Operation o : history) {
        if (o.f() != OpType.APPEND || !o.key().equals(key)) continue;
        String token = o.value().substring(0, o.value().length() - 1);
        attempted.add(token);
        int times = found.getOrDefault(token, 0);
        if (o.outcome() == Outcome.OK) {
          acknowledged++;
          assertEquals(1, times, "seed " + seed + ": acknowledged append " + token + " to " + key + " is in its final value " + times + " times");
        } else {
          assertTrue(times <= 1, "seed " + seed + ": append " + token + " to " + key + " applied " + times + " times");
        }
      }
      for (String token : found.keySet()) assertTrue(attempted.contains(token), "seed " + seed + ": " + key + " holds " + token + ", never appended");
    }
    return acknowledged;
  }

  @Test
  @DisplayName("§4.1 KV histories stay linearizable and keep every acknowledged write while members are added, removed and replaced under faults")
  void linearizableWhileMembersChangeUnderFaults() {
    int seeds = Integer.getInteger("raftkv.kv.membership-campaign.seeds", 60);
    long base = SimSeeds.seed(11000);
    long changes = 0, grew = 0, shrank = 0, leaderRemovals = 0, replacements = 0, givenUp = 0, installs = 0, operations = 0, okReads = 0;
    long appends = 0, unknown = 0, crashes = 0, ticks = 0;
    long started = System.nanoTime();
    for (long s = base; s < base + seeds; s++) {
      SimSeeds.using(s);
      Run o = runSeed(s);
      assertNotEquals(Verdict.NOT_LINEARIZABLE, o.verdict(), "seed " + s);
      changes += o.changes();
      if (o.grewToFive()) grew++;
      if (o.shrankToThree()) shrank++;
      leaderRemovals += o.leaderRemovals();
      replacements += o.replacements();
      givenUp += o.tasksGivenUp();
      installs += o.installsOnNewMembers();
      operations += o.operations();
      okReads += o.okReads();
      appends += o.acknowledgedAppends();
      if (o.verdict() == Verdict.UNKNOWN) unknown++;
      crashes += o.crashes();
      ticks += o.simTicks();
    }
    System.out.printf("kv membership campaign: %d seeds (%d..%d), %d configuration changes committed, %d grew to %d voters, %d shrank back"
            + " to %d, %d leaders removed, %d members replaced, %d tasks given up, %d snapshots installed on new members,"
            + " %d operations checked (%d reads of a value, %d acknowledged appends), %d checks unknown, %d crashes,"
            + " %.0f simulated s in %.1f wall s%n",
        seeds, base, base + seeds - 1, changes, grew, VOTERS_MAX, shrank, VOTERS_MIN, leaderRemovals, replacements, givenUp, installs,
        operations, okReads, appends, unknown, crashes, ticks * LabCluster.TICK_MS / 1000.0, (System.nanoTime() - started) / 1e9);
    // The campaign must have done what it is about, or its passing proves nothing.
    assertTrue(changes >= 5L * seeds, "the campaign must change membership: " + changes + " changes committed in " + seeds + " seeds");
    assertTrue(grew > 0 && shrank > 0, "no seed grew to " + VOTERS_MAX + " voters and shrank back to " + VOTERS_MIN);
    assertTrue(leaderRemovals > 0, "no leader was removed");
    assertTrue(replacements > 0, "no member was replaced");
    assertTrue(installs > 0, "no new member got the state by snapshot install");
    assertTrue(okReads >= 20L * seeds && appends >= 20L * seeds, "histories too thin: " + okReads + " reads of a value, " + appends
        + " acknowledged appends in " + seeds + " seeds");
  }

  @Test
  void sameSeedSameTrace() {
    SimSeeds.assertSameTraceForSameSeed(SimSeeds.seed(11077), s -> runSeed(s).digest());
  }
}
