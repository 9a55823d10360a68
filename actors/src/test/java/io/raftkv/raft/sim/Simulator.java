package io.raftkv.raft.sim;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.persistence.raftlog.RaftLog;
import io.raftkv.persistence.raftlog.RaftLogEvent;
import io.raftkv.persistence.raftlog.RaftLogState;
import io.raftkv.persistence.statemachine.StateMachine;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import io.raftkv.raft.RaftSettings;
import io.raftkv.raft.SnapshotStore;
import io.raftkv.raft.core.ConfigurationChange;
import io.raftkv.raft.rules.MemoryLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Runs N production Raft nodes in one thread, deterministically: each node is a Pekko
 * {@link BehaviorTestKit} running {@link RaftNode#create}'s behaviors; peers and the durable log
 * are {@link TestInbox}es the simulator empties after every step. Messages go through a seeded
 * network that drops, duplicates, delays (and so reorders) them and honours partitions; each
 * node's log is an in-memory journal that acknowledges a batch after a seeded disk delay and
 * loses what it had not acknowledged when the node crashes. Time is ticks; events run in
 * (tick, sequence) order, so one seed gives one trace.
 *
 * <p>After every step that changes durable state, {@link Invariants} checks Raft's safety
 * properties; the leader- and apply-related ones are checked as the nodes report them.
 */
public final class Simulator {
  private enum Kind { TICK, NETWORK, LOCAL, DISK, CLIENT, SNAPSHOT }

  /** Ticks a background snapshot write takes, at least and at most (seeded): apply goes on meanwhile. */
  private static final int SNAPSHOT_WRITE_TICKS_MIN = 1;
  private static final int SNAPSHOT_WRITE_TICKS_MAX = 10;

  private record Event(long tick, long seq, Kind kind, int to, int from, long incarnation, Object payload) {}

  private final int n;
  private final long seed;
  private final Random random; // the network's and the disks' randomness
  private final IntFunction<RaftSettings> settings;
  private NetworkFaults faults;

  private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.tick != b.tick ? Long.compare(a.tick, b.tick) : Long.compare(a.seq, b.seq));
  private long now; // current tick
  private long nextSeq;

  // Per node, indexed by id - 1.
  private final List<BehaviorTestKit<RaftNode.Command>> kits = new ArrayList<>();
  private final List<TreeMap<Integer, TestInbox<RaftMessage>>> outboxes = new ArrayList<>(); // [from][to]
  private final List<TestInbox<RaftLog.Command>> logInboxes = new ArrayList<>();
  private final RaftLogState[] durable; // what each node's disk holds
  private final RaftLogState[] lostDisk; // a wiped node's disk as it was, while the node stays down: what Durability counts for it
  private final long[] directory; // the data directory (incarnation) each node runs on now: 0 when it runs without one
  private final Map<Long, RaftLogState> wipedDirectories = new HashMap<>(); // a wiped directory's disk as it was lost
  private long refusals; // nodes that accepted a refusal of their data directory
  private final boolean[] refusedRun; // the node's current run accepted a refusal of its data directory
  private final long[] incarnation;
  private final boolean[] up;
  private final long[] lastDiskAckTick; // the log acknowledges batches in order
  private final List<StateMachine> machines = new ArrayList<>();
  private final IntFunction<StateMachine> machineFactory; // a fresh machine for each (re)start of a node
  private final boolean[][] linked; // linked[a][b]: a can reach b
  private final Path snapshotRoot; // each node's snapshot files, in node-N below: its disk, like durable[]
  private final List<ArrayDeque<Runnable>> snapshotWrites = new ArrayList<>(); // submitted by a node, not yet scheduled

  private final Invariants invariants;
  private final MessageDigest trace;
  private final ArrayDeque<String> recentTrace = new ArrayDeque<>(); // the last lines, for failure reports
  private long rpcCount;
  private long entryBytesSent;
  private long snapshotChunksSent;
  private long appendEntriesSent;
  private long heartbeatsSent;
  private long persistBatches;
  private long largestAppendedEventBytes; // LogEntry.sizeBytes() of the largest EntriesAppended sent to a log
  private final long[] snapshotChunksTo; // per receiving node
  private long crashes;
  private final int[] snapshotWritesPending; // per node: background writes submitted and not yet run
  private long snapshotWritesRun; // background writes run
  private long appliedDuringSnapshotWrites; // entries applied by a node while a snapshot write of its own was pending
  private final long[] chunkSenders; // per receiving node: a bit per node that sent it snapshot chunks since its last install
  private long snapshotsAdopted; // own snapshots written and reported to the observer as such
  private long snapshotsInstalled;
  private final long[] snapshotsInstalledOn; // per receiving node
  private long installsAcrossLeaders; // installed after chunks from more than one leader
  // Untrusted peers (the peer-message fuzzer): impossible messages are expected, and safety is not checked, since a
  // peer that lies about the log breaks it by design (Raft trusts its authenticated members); only failures count.
  private boolean untrustedPeers;
  private final boolean[] removedRun; // per node: its current run was told it is removed (a real node then stops)
  private long invalidPeerMessages; // messages the nodes refused as impossible
  private final TreeMap<String, Long> invalidPeerMessagesByKind = new TreeMap<>();
  private boolean sampling; // keep the last messages sent (off by default: snapshot chunks are large)
  private final ArrayDeque<RaftMessage> sentSample = new ArrayDeque<>(); // the last messages nodes sent, for mutation
  private static final int SENT_SAMPLE_MAX = 512;

  public Simulator(int nodes, long seed, NetworkFaults faults, IntFunction<RaftSettings> settings) {
    this(nodes, seed, faults, settings, id -> new ChecksumStateMachine());
  }

  public Simulator(int nodes, long seed, NetworkFaults faults, IntFunction<RaftSettings> settings, IntFunction<StateMachine> machineFactory) {
    this.machineFactory = machineFactory;
    this.n = nodes;
    this.seed = seed;
    this.random = new Random(seed);
    this.faults = faults;
    this.settings = settings;
    this.durable = new RaftLogState[nodes];
    this.lostDisk = new RaftLogState[nodes];
    this.directory = new long[nodes];
    this.refusedRun = new boolean[nodes];
    this.removedRun = new boolean[nodes];
    this.incarnation = new long[nodes];
    this.up = new boolean[nodes];
    this.lastDiskAckTick = new long[nodes];
    this.linked = new boolean[nodes][nodes];
    this.snapshotChunksTo = new long[nodes];
    this.snapshotWritesPending = new int[nodes];
    this.chunkSenders = new long[nodes];
    this.snapshotsInstalledOn = new long[nodes];
    this.invariants = new Invariants(nodes, settings.apply(1).voters());
    this.snapshotRoot = SimDisk.newRoot();
    try {
      this.trace = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (int i = 0; i < nodes; i++) {
      durable[i] = RaftLogState.empty();
      TreeMap<Integer, TestInbox<RaftMessage>> out = new TreeMap<>();
      for (int j = 1; j <= nodes; j++) if (j != i + 1) out.put(j, TestInbox.create("n" + (i + 1) + "-to-n" + j));
      outboxes.add(out);
      logInboxes.add(TestInbox.create("log-" + (i + 1)));
      kits.add(null);
      machines.add(null);
      snapshotWrites.add(new ArrayDeque<>());
      for (int j = 0; j < nodes; j++) linked[i][j] = true;
    }
    for (int id = 1; id <= nodes; id++) start(id);
  }

  /** Settings every node gets by default: the production defaults. */
  public static IntFunction<RaftSettings> defaultSettings(int nodes) {
    List<Integer> voters = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) voters.add(i);
    return id -> RaftSettings.defaults(id, voters);
  }

  public long seed() { return seed; }
  public long now() { return now; }
  public int size() { return n; }
  public Invariants invariants() { return invariants; }
  public long rpcCount() { return rpcCount; }
  public long entryBytesSent() { return entryBytesSent; }
  public long snapshotChunksSent() { return snapshotChunksSent; }
  public long crashes() { return crashes; }
  public long appendEntriesSent() { return appendEntriesSent; }
  public long persistBatches() { return persistBatches; }
  /** The largest EntriesAppended event any node sent its log, in {@link LogEntry#sizeBytes()}. */
  public long largestAppendedEventBytes() { return largestAppendedEventBytes; }
  public long heartbeatsSent() { return heartbeatsSent; }
  public long snapshotChunksSentTo(int id) { return snapshotChunksTo[id - 1]; }
  /** Background snapshot writes that ran to their end. */
  public long snapshotWrites() { return snapshotWritesRun; }
  /** Entries a node applied while a snapshot write of its own was under way: apply did not stop for it. */
  public long appliedDuringSnapshotWrites() { return appliedDuringSnapshotWrites; }
  /** Own snapshots a node reported written (its log now starts at one). */
  public long snapshotsAdopted() { return snapshotsAdopted; }
  /** Snapshots installed from a leader's chunks. */
  public long snapshotsInstalled() { return snapshotsInstalled; }
  /** Snapshots node {@code id} installed from a leader's chunks, over all its incarnations. */
  public long snapshotsInstalledOn(int id) { return snapshotsInstalledOn[id - 1]; }
  /** Of those, the ones installed after chunks from more than one leader arrived (the leader changed while one was sent). */
  public long installsAcrossLeaders() { return installsAcrossLeaders; }
  public boolean isUp(int id) { return up[id - 1]; }
  public RaftLogState durableState(int id) { return durable[id - 1]; }
  /** The state machine of node {@code id}'s current incarnation. */
  public StateMachine machine(int id) { return machines.get(id - 1); }

  /**
   * From now on messages may come from untrusted peers ({@link #inject}): a node's refusal of an
   * impossible message is counted instead of failing the run, and the safety invariants are no
   * longer checked (a peer that lies about its log breaks them by design). A node that fails on
   * any message still fails the run.
   */
  public void trustNoPeer() {
    untrustedPeers = true;
  }

  /** Messages the nodes refused as impossible ({@code RaftObserver.peerMessageInvalid}). */
  public long invalidPeerMessages() {
    return invalidPeerMessages;
  }

  /** Keeps the last messages (at most 512) the nodes send each other from now on, for {@link #sentSample}. */
  public void sampleSentMessages() {
    sampling = true;
  }

  /** {@link #invalidPeerMessages} by the message's type. */
  public Map<String, Long> invalidPeerMessagesByKind() {
    return Map.copyOf(invalidPeerMessagesByKind);
  }

  /** The last messages (at most 512) the nodes sent each other, oldest first, unwrapped: material for a fuzzer. */
  public List<RaftMessage> sentSample() {
    return List.copyOf(sentSample);
  }

  /** Delivers {@code message} to node {@code to} now, as if a peer had sent it, past every link (see {@link #trustNoPeer}). */
  public void inject(int to, RaftMessage message) {
    if (!untrustedPeers) throw new IllegalStateException("call trustNoPeer() first");
    if (!up[to - 1]) return;
    record("t" + now + " injected ->n" + to + " " + message);
    runOn(to, message);
  }

  public void setFaults(NetworkFaults faults) {
    this.faults = faults;
  }

  public NetworkFaults faults() {
    return faults;
  }

  // ---- faults ----

  /** Crashes a node: its process and memory are gone, and so is whatever its log had not acknowledged. */
  public void crash(int id) {
    int i = id - 1;
    if (!up[i]) return;
    up[i] = false;
    incarnation[i]++;
    crashes++;
    kits.set(i, null);
    outboxes.get(i).values().forEach(TestInbox::getAllReceived);
    logInboxes.get(i).getAllReceived();
    snapshotWrites.get(i).clear(); // a write in progress dies with the process; its temporary file is cleaned at start
    snapshotWritesPending[i] = 0;
    chunkSenders[i] = 0;
    record("crash n" + id);
  }

  /** How many times a node accepted a refusal of its data directory (it then takes no further part). */
  public long refusals() {
    return refusals;
  }

  /** Whether node {@code id}'s current run accepted a refusal of its data directory. */
  public boolean refused(int id) {
    return up[id - 1] && refusedRun[id - 1];
  }

  /** Whether node {@code id}'s current run was told it is removed from the cluster (a real node then stops). */
  public boolean removed(int id) {
    return removedRun[id - 1];
  }

  /** Starts (or restarts) a node from what its disk holds. */
  public void start(int id) {
    int i = id - 1;
    if (up[i]) return;
    up[i] = true;
    incarnation[i]++;
    lostDisk[i] = null; // back with an empty disk: from now on it counts as what it holds
    refusedRun[i] = false;
    removedRun[i] = false;
    invariants.restarted(id);
    Map<Integer, ActorRef<RaftMessage>> peers = new TreeMap<>();
    outboxes.get(i).forEach((to, inbox) -> peers.put(to, inbox.getRef()));
    StateMachine machine = machineFactory.apply(id);
    machines.set(i, machine);
    long nodeSeed = random.nextLong();
    RaftSettings nodeSettings = settings.apply(id);
    directory[i] = nodeSettings.incarnation();
    SnapshotStore snapshots = new SnapshotStore(SimDisk.snapshotFiles(snapshotRoot, id), snapshotWrites.get(i)::add);
    BehaviorTestKit<RaftNode.Command> kit = BehaviorTestKit.create(
        RaftNode.create(nodeSettings, peers, logInboxes.get(i).getRef(), machine, snapshots, new Random(nodeSeed), observer(id)),
        "node-" + id);
    kits.set(i, kit);
    record("start n" + id);
    drain(id);
  }

  /** Cuts every link to and from {@code id}. */
  public void disconnect(int id) {
    for (int j = 0; j < n; j++) {
      linked[id - 1][j] = j == id - 1;
      linked[j][id - 1] = j == id - 1;
    }
    record("disconnect n" + id);
  }

  /** Restores every link to and from {@code id} whose other end is not disconnected... simply: all links of id. */
  public void connect(int id) {
    for (int j = 0; j < n; j++) {
      linked[id - 1][j] = true;
      linked[j][id - 1] = true;
    }
    record("connect n" + id);
  }

  /** Splits the nodes into groups that reach only their own members. */
  public void partition(List<List<Integer>> groups) {
    for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) linked[a][b] = false;
    for (List<Integer> g : groups) for (int a : g) for (int b : g) linked[a - 1][b - 1] = true;
    record("partition " + groups);
  }

  public void heal() {
    for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) linked[a][b] = true;
    record("heal");
  }

  public boolean linked(int a, int b) {
    return linked[a - 1][b - 1];
  }

  // ---- clients ----

  /** Proposes {@code command} at node {@code id} now; the answer arrives in the returned inbox. */
  public TestInbox<RaftNode.ClientReply> propose(int id, StateMachineCommand command) {
    TestInbox<RaftNode.ClientReply> inbox = TestInbox.create("client");
    schedule(0, Kind.CLIENT, id, 0, new RaftNode.Propose(command, inbox.getRef()));
    return inbox;
  }

  /** Sends a client request (a Read or ReadLocal, say) to node {@code id} now. */
  public void request(int id, RaftNode.Command command) {
    schedule(0, Kind.CLIENT, id, 0, command);
  }

  /** Asks node {@code id} to change the cluster's members, now; the answer arrives in the returned inbox. */
  public TestInbox<RaftNode.ClientReply> changeMembership(int id, ConfigurationChange change) {
    TestInbox<RaftNode.ClientReply> inbox = TestInbox.create("membership");
    schedule(0, Kind.CLIENT, id, 0, new RaftNode.ChangeMembership(change, inbox.getRef()));
    return inbox;
  }

  /** A node's view of the members, read synchronously (no simulated time passes; nothing is traced). */
  public RaftNode.Members members(int id) {
    BehaviorTestKit<RaftNode.Command> kit = kits.get(id - 1);
    if (kit == null) return null;
    TestInbox<RaftNode.Members> inbox = TestInbox.create("members");
    kit.run(new RaftNode.GetMembers(inbox.getRef()));
    return inbox.receiveMessage();
  }

  /**
   * The node's disk is lost (a dead disk, a wiped data directory): its durable log and snapshot
   * files are gone. Only for a node that is down; started again, it starts from nothing.
   */
  public void wipe(int id) {
    if (up[id - 1]) throw new IllegalStateException("node " + id + " is up: crash it first");
    lostDisk[id - 1] = durable[id - 1];
    if (directory[id - 1] != 0) wipedDirectories.put(directory[id - 1], durable[id - 1]);
    durable[id - 1] = RaftLogState.empty();
    SimDisk.deleteTree(snapshotRoot.resolve("node-" + id));
    record("wipe n" + id);
  }

  /** Asks node {@code id} to hand leadership to {@code target}, now. */
  public void transferLeadership(int id, int target) {
    schedule(0, Kind.LOCAL, id, 0, new RaftNode.TransferLeadership(target));
  }

  /** The node that leads now as its own status says (the highest term if several think so), or 0 when none does. */
  public int leader() {
    int leader = 0;
    long term = -1;
    for (int id = 1; id <= n; id++) {
      RaftNode.Status s = up[id - 1] ? status(id) : null;
      if (s != null && s.role() == RaftNode.Role.LEADER && s.term() > term) {
        leader = id;
        term = s.term();
      }
    }
    return leader;
  }

  /** A node's status, read synchronously (no simulated time passes; nothing is traced). */
  public RaftNode.Status status(int id) {
    BehaviorTestKit<RaftNode.Command> kit = kits.get(id - 1);
    if (kit == null) return null;
    TestInbox<RaftNode.Status> inbox = TestInbox.create("status");
    kit.run(new RaftNode.GetStatus(inbox.getRef()));
    return inbox.receiveMessage();
  }

  // ---- running ----

  /** Runs {@code ticks} ticks of simulated time. */
  public void run(long ticks) {
    long end = now + ticks;
    while (now < end) step();
  }

  /** Runs until {@code done} holds or {@code ticksMax} pass; returns whether it held. */
  public boolean runUntil(java.util.function.BooleanSupplier done, long ticksMax) {
    long end = now + ticksMax;
    while (now < end) {
      if (done.getAsBoolean()) return true;
      step();
    }
    return done.getAsBoolean();
  }

  /** One tick: every live node gets a Tick, then every event due by now runs. */
  private void step() {
    now++;
    for (int id = 1; id <= n; id++) if (up[id - 1]) schedule(0, Kind.TICK, id, 0, RaftNode.Tick.INSTANCE);
    boolean durableChanged = false;
    while (!queue.isEmpty() && queue.peek().tick <= now) {
      Event e = queue.poll();
      durableChanged |= handle(e);
    }
    if (durableChanged && !untrustedPeers) {
      try {
        invariants.checkDurable(disksForDurability());
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + " at tick " + now + " (seed " + seed + ")\n" + recentTrace(), e);
      }
    }
  }

  /**
   * Each node's durable log, except that a wiped node that stays down counts with the disk it lost:
   * what it held is gone, but it never votes again either, so what it held still keeps any
   * majority from electing a leader that lacks it. (A wiped node that comes back under its id
   * counts with its empty disk: that is the case Durability must catch.)
   */
  private List<RaftLogState> disksForDurability() {
    Configuration committed = invariants.committedConfiguration();
    List<RaftLogState> disks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      RaftLogState disk = lostDisk[i] != null ? lostDisk[i] : durable[i];
      // With data directories identified, a voter is the directory the configuration records: when the node now runs
      // on another (its own was wiped), the voter's disk is the lost one; the members refuse the new directory's votes.
      Member m = committed.member(i + 1);
      if (m != null && m.incarnation() != 0 && m.incarnation() != directory[i] && wipedDirectories.containsKey(m.incarnation())) {
        disk = wipedDirectories.get(m.incarnation());
      }
      disks.add(disk);
    }
    return disks;
  }

  private boolean handle(Event e) {
    int i = e.to - 1;
    if (!up[i] || (e.kind != Kind.NETWORK && e.kind != Kind.CLIENT && e.incarnation != incarnation[i])) return false;
    switch (e.kind) {
      case TICK, LOCAL -> runOn(e.to, e.payload);
      case CLIENT -> {
        record("t" + now + " client n" + e.to + " " + describeClient(e.payload));
        runOn(e.to, e.payload);
      }
      case NETWORK -> {
        if (!linked[e.from - 1][i]) {
          record("t" + now + " cut n" + e.from + "->n" + e.to + " " + e.payload);
          return false;
        }
        record("t" + now + " n" + e.from + "->n" + e.to + " " + e.payload);
        if (bare(e.payload) instanceof RaftMessage.InstallSnapshot) chunkSenders[i] |= 1L << e.from;
        runOn(e.to, e.payload);
      }
      case SNAPSHOT -> {
        record("t" + now + " snapshot written n" + e.to);
        snapshotWritesPending[i]--;
        snapshotWritesRun++;
        ((Runnable) e.payload).run(); // the write, and its outcome told to the node
        drain(e.to);
      }
      case DISK -> {
        RaftLog.Persist p = (RaftLog.Persist) e.payload;
        RaftLogState s = durable[i];
        for (RaftLogEvent ev : p.events()) s = s.apply(ev);
        durable[i] = s;
        record("t" + now + " durable n" + e.to + " batch " + p.seq() + " " + p.events().size() + " events, last " + s.lastIndex());
        p.replyTo().tell(new RaftLog.Persisted(p.seq()));
        drain(e.to);
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void runOn(int id, Object message) {
    BehaviorTestKit kit = kits.get(id - 1);
    try {
      kit.run(message); // raw: Pekko's adapter wrappers are not instances of Command
    } catch (AssertionError | RuntimeException ex) {
      throw new AssertionError("node " + id + " failed on " + message + " at tick " + now + "\n" + recentTrace(), ex);
    }
    kit.getAllEffects();
    kit.clearLog();
    drain(id);
  }

  /** Moves everything node {@code id} just said onto the event queue. */
  private void drain(int id) {
    int i = id - 1;
    long inc = incarnation[i];
    for (Map.Entry<Integer, TestInbox<RaftMessage>> out : outboxes.get(i).entrySet()) {
      for (RaftMessage m : out.getValue().getAllReceived()) send(id, out.getKey(), m);
    }
    for (RaftLog.Command c : logInboxes.get(i).getAllReceived()) {
      if (c instanceof RaftLog.Load load) {
        load.replyTo().tell(new RaftLog.Loaded(durable[i]));
      } else if (c instanceof RaftLog.Persist p) {
        persistBatches++;
        for (RaftLogEvent ev : p.events()) {
          if (ev instanceof RaftLogEvent.EntriesAppended a) {
            largestAppendedEventBytes = Math.max(largestAppendedEventBytes, a.entries().stream().mapToLong(LogEntry::sizeBytes).sum());
          }
        }
        int delay = faults.diskTicksMin() + random.nextInt(faults.diskTicksMax() - faults.diskTicksMin() + 1);
        long at = Math.max(now + delay, lastDiskAckTick[i]); // in order, like the real log
        lastDiskAckTick[i] = at;
        queue.add(new Event(at, nextSeq++, Kind.DISK, id, id, inc, p));
      }
    }
    for (Runnable write = snapshotWrites.get(i).poll(); write != null; write = snapshotWrites.get(i).poll()) {
      int ticks = SNAPSHOT_WRITE_TICKS_MIN + random.nextInt(SNAPSHOT_WRITE_TICKS_MAX - SNAPSHOT_WRITE_TICKS_MIN + 1);
      snapshotWritesPending[i]++;
      queue.add(new Event(now + ticks, nextSeq++, Kind.SNAPSHOT, id, id, inc, write));
    }
    BehaviorTestKit<RaftNode.Command> kit = kits.get(i);
    if (kit != null) {
      for (Object m : kit.selfInbox().getAllReceived()) queue.add(new Event(now, nextSeq++, Kind.LOCAL, id, id, inc, m));
    }
  }

  /** The message inside a sender's {@link RaftMessage.Identified} stamp, or the message itself. */
  private static Object bare(Object m) {
    return m instanceof RaftMessage.Identified id ? id.message() : m;
  }

  private void send(int from, int to, RaftMessage stamped) {
    rpcCount++;
    RaftMessage m = (RaftMessage) bare(stamped);
    if (sampling) {
      sentSample.addLast(m);
      if (sentSample.size() > SENT_SAMPLE_MAX) sentSample.removeFirst();
    }
    if (m instanceof RaftMessage.AppendEntries ae) {
      appendEntriesSent++;
      for (LogEntry e : ae.entries()) entryBytesSent += e.command().sizeBytes();
    } else if (m instanceof RaftMessage.Heartbeat) {
      heartbeatsSent++;
    } else if (m instanceof RaftMessage.InstallSnapshot) {
      snapshotChunksSent++;
      snapshotChunksTo[to - 1]++;
    }
    if (!linked[from - 1][to - 1]) return;
    boolean request = m instanceof RaftMessage.AppendEntries || m instanceof RaftMessage.RequestVote
        || m instanceof RaftMessage.InstallSnapshot || m instanceof RaftMessage.TimeoutNow;
    if (random.nextDouble() < (request ? faults.requestDropRate() : faults.replyDropRate())) return;
    int copies = random.nextDouble() < faults.duplicateRate() ? 2 : 1;
    for (int c = 0; c < copies; c++) {
      long delay = faults.delayTicksMin() + random.nextInt(faults.delayTicksMax() - faults.delayTicksMin() + 1);
      if (!request && faults.longDelayRate() > 0 && random.nextDouble() < faults.longDelayRate()) {
        delay += 20 + random.nextInt(faults.longDelayTicksMax());
      }
      queue.add(new Event(now + delay, nextSeq++, Kind.NETWORK, to, from, 0, stamped));
    }
  }

  private void schedule(long delay, Kind kind, int to, int from, Object payload) {
    queue.add(new Event(now + delay, nextSeq++, kind, to, from, incarnation[to - 1], payload));
  }

  private static String describeClient(Object request) {
    if (request instanceof RaftNode.Propose p) return "propose " + p.command();
    if (request instanceof RaftNode.Read r) return "read " + r.query();
    if (request instanceof RaftNode.ReadLocal r) return "read-local " + r.query();
    if (request instanceof RaftNode.ChangeMembership c) return "membership " + c.change();
    return request.getClass().getSimpleName(); // never a record holding an ActorRef: its text is not deterministic
  }

  private RaftObserver observer(int id) {
    return new RaftObserver() {
      @Override
      public void roleChanged(int nodeId, long term, RaftNode.Role role) {
        record("t" + now + " n" + nodeId + " " + role + " term " + term);
      }

      @Override
      public void refused(int nodeId, RaftMessage.IncarnationRefused refusal) {
        refusals++;
        refusedRun[nodeId - 1] = true;
        record("t" + now + " n" + nodeId + " refused by n" + refusal.refuserId());
      }

      @Override
      public void removed(int nodeId, long configurationIndex) {
        removedRun[nodeId - 1] = true;
        record("t" + now + " n" + nodeId + " removed at " + configurationIndex);
      }

      @Override
      public void peerMessageInvalid(int nodeId, int peerId, String kind, String reason) {
        record("t" + now + " n" + nodeId + " refused " + kind + " from n" + peerId + ": " + reason);
        // Every peer here runs this code: an impossible message from one is a bug (in the untrusted mode, the fuzzer's).
        if (!untrustedPeers) throw new AssertionError("node " + nodeId + " refused a " + kind + " from node " + peerId + ": " + reason);
        invalidPeerMessages++;
        invalidPeerMessagesByKind.merge(kind, 1L, Long::sum);
      }

      @Override
      public void becameLeader(int nodeId, long term, MemoryLog log) {
        if (!untrustedPeers) invariants.becameLeader(nodeId, term, log);
      }

      @Override
      public void applied(int nodeId, LogEntry entry) {
        if (snapshotWritesPending[nodeId - 1] > 0) appliedDuringSnapshotWrites++;
        if (!untrustedPeers) invariants.applied(nodeId, entry);
      }

      @Override
      public void snapshotRestored(int nodeId, long index, long term) {
        if (!untrustedPeers) invariants.snapshotRestored(nodeId, index, term);
      }

      @Override
      public void snapshotWritten(int nodeId, long index, long bytes, long writeNanos) {
        if (bytes <= 0 || writeNanos < 0) throw new AssertionError("snapshot at " + index + " reported " + bytes + " bytes in " + writeNanos + " ns");
        snapshotsAdopted++;
      }

      @Override
      public void snapshotInstalled(int nodeId, long index, long term) {
        int i = nodeId - 1;
        snapshotsInstalled++;
        snapshotsInstalledOn[i]++;
        if (Long.bitCount(chunkSenders[i]) > 1) installsAcrossLeaders++;
        chunkSenders[i] = 0;
      }
    };
  }

  // ---- the trace ----

  private void record(String line) {
    trace.update(line.getBytes(StandardCharsets.UTF_8));
    trace.update((byte) '\n');
    recentTrace.addLast(line);
    if (recentTrace.size() > 200) recentTrace.removeFirst();
  }

  /** A digest of everything that happened so far: equal for equal seeds. */
  public String traceDigest() {
    try {
      return HexFormat.of().formatHex(((MessageDigest) trace.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  public String recentTrace() {
    return String.join("\n", recentTrace);
  }
}
