package io.raftkv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftkv.check.CheckResult;
import io.raftkv.check.HistoryReader;
import io.raftkv.check.LinearizabilityChecker;
import io.raftkv.check.OpType;
import io.raftkv.check.Operation;
import io.raftkv.check.Outcome;
import io.raftkv.check.Verdict;
import io.raftkv.client.ClusterStatus;
import io.raftkv.client.KvEntry;
import io.raftkv.client.NodeStatus;
import io.raftkv.client.RaftkvClient;
import io.raftkv.client.RaftkvException;
import io.raftkv.client.RaftkvUnavailableException;
import io.raftkv.client.ScanResult;
import io.raftkv.stress.HistoryRecorder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node JVMs, each in its own network namespace ({@link NetnsHosts}), under a client
 * load whose history is recorded. The leader's link goes down: the majority elects a new leader and
 * writes go on through it, the isolated old leader steps down (check-quorum), and a client that
 * can reach only the old leader gets no acknowledgement. The link comes back: the old leader
 * follows, catches up, and serves reads, and Pekko Cluster never downed or removed anyone. At the
 * end the history is linearizable and every acknowledged write is there. Skipped where network
 * namespaces cannot be created (not root).
 */
class PartitionProcessTest {
  private static final int NODES = 3;
  private static final int ARTERY_PORT = 25520; // every node has its own namespace, so fixed ports never clash
  private static final int HTTP_PORT = 8080;
  private static final int WRITERS = 3;
  private static final int HOT_KEYS = 3;
  private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(15);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** Acknowledged writes that show the majority serves while the old leader is cut off. */
  private static final int WRITES_DURING_PARTITION = 20;
  /** History process ids besides the writers' (0 to WRITERS - 1). */
  private static final int MINORITY_EARLY = 10;
  private static final int MINORITY_LATE = 11;
  private static final int FINAL_READER = 20;
  /** What a node's log must never say: a member downed, removed or quarantined, or a node shutting itself down. */
  private static final Pattern DOWNING = Pattern.compile(
      "as \\[Down\\]|is removing|Member removed|quarantined|Shutting down myself|as \\[Leaving\\]", Pattern.CASE_INSENSITIVE);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir; // a failed run keeps the nodes' logs
  private NetnsHosts hosts;
  private LocalCluster cluster;
  private final Map<Integer, Process> nodes = new HashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "partition-test");
    t.setDaemon(true);
    return t;
  });

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    if (hosts != null) hosts.close();
  }

  @Test
  void anIsolatedLeaderStepsDownTheMajorityGoesOnAndTheHealedNodeCatchesUp() throws Exception {
    try {
      hosts = NetnsHosts.create(NODES);
    } catch (NetnsHosts.Unavailable e) {
      System.out.println("PartitionProcessTest skipped: " + e.getMessage());
      Assumptions.abort(e.getMessage());
    }
    System.out.println("network: " + hosts);
    try {
      startNodes();
      partitionTheLeaderAndHeal();
    } catch (Throwable t) {
      printLogTails();
      System.out.println("the nodes' logs and data stay in " + dir);
      throw t;
    }
  }

  private void startNodes() throws IOException {
    StringBuilder layout = new StringBuilder("raftkv.cluster.nodes = [\n");
    for (int id = 1; id <= NODES; id++) {
      layout.append("{ id = ").append(id).append(", host = \"").append(hosts.address(id)).append("\", artery-port = ")
          .append(ARTERY_PORT).append(", http-port = ").append(HTTP_PORT).append(", data-dir = \"").append(dir.resolve("data-" + id))
          .append("\" }\n");
    }
    Path clusterFile = Files.writeString(dir.resolve("cluster.conf"), layout.append("]\n"));
    // The nodes listen on the namespaces' 10.x addresses, not loopback, and this private test network is trusted:
    // without raftkv.insecure they would refuse to start for want of TLS and authentication.
    Path nodeConf = Files.writeString(dir.resolve("node.conf"), "# the defaults of reference.conf, on a trusted network\nraftkv.insecure = on\n");
    // Pekko Cluster's membership and reachability lines are what the downing check reads.
    Path logback = Files.writeString(dir.resolve("logback.xml"), String.join("\n",
        "<configuration>",
        "  <appender name=\"STDOUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
        "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>",
        "  </appender>",
        "  <logger name=\"org.apache.pekko\" level=\"WARN\"/>",
        "  <logger name=\"org.apache.pekko.cluster\" level=\"INFO\"/>",
        "  <logger name=\"org.apache.pekko.remote\" level=\"INFO\"/>",
        "  <root level=\"INFO\"><appender-ref ref=\"STDOUT\"/></root>",
        "</configuration>", ""));
    Path runDir = Files.createDirectories(dir.resolve("run"));
    cluster = new LocalCluster(clusterFile, nodeConf, runDir);
    for (int id = 1; id <= NODES; id++) {
      List<String> command = cluster.command(id, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=" + logback));
      nodes.put(id, hosts.start(id, command, cluster.logFile(id)));
    }
  }

  private void partitionTheLeaderAndHeal() throws Exception {
    List<Integer> all = cluster.layout().ids();
    long started = System.nanoTime();
    int oldLeader = await("a leader that all nodes name", Duration.ofSeconds(60), () -> agreedLeader(all, 0));
    // Raft needs no membership, but the partition must cut off a Pekko Cluster member for the downing check to mean anything.
    await("all nodes Up in Pekko Cluster", Duration.ofSeconds(60), this::allMembersUp);
    System.out.printf("start: node %d leads, all nodes are Up, %d ms after the JVMs started%n", oldLeader, millisSince(started));

    Path historyFile = dir.resolve("history.jsonl");
    HistoryRecorder history = HistoryRecorder.to(historyFile);
    RaftkvClient client = RaftkvClient.builder(all.stream().map(this::url).toList()).timeout(Duration.ofSeconds(15)).build();
    Load load = new Load(client, history);
    await("writes acknowledged before the partition", Duration.ofSeconds(30), () -> atLeast(load.acknowledged(), 30));

    // The leader's link goes down.
    long cut = System.nanoTime();
    hosts.isolate(oldLeader);
    System.out.printf("%s: node %d cut off%n", LocalTime.now(), oldLeader);
    RaftkvClient minority = RaftkvClient.builder(List.of(url(oldLeader))).exactlyOnce(false).timeout(Duration.ofSeconds(10)).build();
    CompletableFuture<RaftkvException> earlyMinorityWrite = CompletableFuture.supplyAsync(
        () -> put(history, MINORITY_EARLY, minority, "minority-early", "cut-off-1"), pool);
    List<Integer> majority = all.stream().filter(id -> id != oldLeader).toList();
    Failover failover = awaitFailover(oldLeader, majority, load);
    int newLeader = failover.newLeader();
    NodeStatus isolated = selfStatus(oldLeader).orElseThrow(() -> new AssertionError("node " + oldLeader + " does not answer /v1/cluster"));
    assertNotEquals("LEADER", isolated.role(), "the isolated old leader's /v1/cluster: " + isolated);
    assertNotEquals(Optional.of(oldLeader), cluster.leaderSeenBy(oldLeader), "the isolated old leader's /health names itself");
    CompletableFuture<RaftkvException> lateMinorityWrite = CompletableFuture.supplyAsync(
        () -> put(history, MINORITY_LATE, minority, "minority-late", "cut-off-2"), pool);
    await("writes acknowledged through the new leader " + newLeader, Duration.ofSeconds(40),
        () -> atLeast(load.acknowledged(), failover.acknowledgedAtElection() + WRITES_DURING_PARTITION));
    long resumed = System.nanoTime();
    RaftkvException early = refused(earlyMinorityWrite.get(30, TimeUnit.SECONDS), "just cut off");
    RaftkvException late = refused(lateMinorityWrite.get(30, TimeUnit.SECONDS), "stepped down");
    System.out.printf("partition: node %d cut off; node %d leads after %d ms; node %d stepped down after %d ms;"
            + " writes resumed after %d ms; partition held %d ms%n",
        oldLeader, newLeader, (failover.elected() - cut) / 1_000_000, oldLeader, (failover.steppedDown() - cut) / 1_000_000,
        (resumed - cut) / 1_000_000, millisSince(cut));
    System.out.printf("minority writes refused: just cut off: %s; stepped down: %s%n", early.getMessage(), late.getMessage());

    // The link comes back: the old leader catches up with what was committed meanwhile, as a follower.
    long commitAtHeal = metric(newLeader, "raftkv_raft_commit_index").orElseThrow(() -> new AssertionError("node " + newLeader + " has no metrics"));
    long healed = System.nanoTime();
    hosts.heal(oldLeader);
    System.out.printf("%s: node %d connected again%n", LocalTime.now(), oldLeader);
    long applied = await("node " + oldLeader + " to apply what was committed during the partition", Duration.ofSeconds(45),
        () -> metric(oldLeader, "raftkv_raft_applied_index").stream().filter(a -> a >= commitAtHeal).boxed().findFirst());
    System.out.printf("heal: node %d applied index %d (the leader's commit index at the heal: %d) %d ms after its link came back%n",
        oldLeader, applied, commitAtHeal, millisSince(healed));
    int leaderAfter = await("node " + oldLeader + " to follow a leader", Duration.ofSeconds(30),
        () -> cluster.leaderSeenBy(oldLeader).filter(l -> l != oldLeader));
    load.stop(Duration.ofSeconds(30));
    if (leaderAfter != newLeader) System.out.printf("note: the leader changed after the heal, from node %d to node %d%n", newLeader, leaderAfter);

    // Every replica applies the same index, as the old leader sees them all (over Artery: nothing quarantined).
    ClusterStatus converged = await("all nodes to apply the same index", Duration.ofSeconds(30), () -> clusterStatus(oldLeader)
        .filter(s -> s.nodes().stream().allMatch(NodeStatus::reachable))
        .filter(s -> s.nodes().stream().map(NodeStatus::appliedIndex).distinct().count() == 1)
        .filter(s -> s.nodes().stream().map(NodeStatus::commitIndex).distinct().count() == 1));
    NodeStatus rejoined = converged.nodes().stream().filter(n -> n.id() == oldLeader).findFirst().orElseThrow();
    assertEquals("FOLLOWER", rejoined.role(), "the old leader after the heal: " + converged);

    // Reads through the old leader: the hot keys, the cut-off writes (recorded), every fresh key (a scan).
    RaftkvClient viaOldLeader = RaftkvClient.builder(List.of(url(oldLeader))).timeout(Duration.ofSeconds(10)).build();
    for (int k = 0; k < HOT_KEYS; k++) get(history, FINAL_READER, viaOldLeader, "hot-" + k);
    String earlyRead = get(history, FINAL_READER, viaOldLeader, "minority-early");
    String lateRead = get(history, FINAL_READER, viaOldLeader, "minority-late");
    ScanResult fresh = viaOldLeader.scan("fresh-", 10_000);
    assertFalse(fresh.truncated(), "too many fresh keys for one scan");
    history.close();
    if (earlyRead != null || lateRead != null) {
      System.out.printf("note: a minority write took effect after the heal (its outcome was unknown): early=%s late=%s%n", earlyRead, lateRead);
    }

    List<Operation> ops = HistoryReader.read(historyFile);
    CheckResult check = new LinearizabilityChecker().check(ops, Duration.ofSeconds(60));
    assertEquals(Verdict.LINEARIZABLE, check.verdict(), check.describe());
    checkFreshKeys(ops, fresh);
    checkNoMemberWasDowned();
    assertTrue(nodes.get(oldLeader).isAlive(), "the old leader's process exited");
    System.out.printf("history: %d operations (%d acknowledged writes), linearizable; took %d ms in all%n",
        ops.size(), load.acknowledged(), millisSince(started));
  }

  /** When the majority named a new leader, and when the cut-off old leader stopped leading (nanoTime). */
  private record Failover(int newLeader, long elected, long steppedDown, long acknowledgedAtElection) {}

  /** Polls both at once: a leader that the majority names, and the old leader no longer leading (its own /metrics). */
  private Failover awaitFailover(int oldLeader, List<Integer> majority, Load load) {
    int newLeader = 0;
    long elected = 0;
    long steppedDown = 0;
    long acknowledgedAtElection = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (elected == 0 || steppedDown == 0) {
      if (steppedDown == 0 && metric(oldLeader, "raftkv_raft_is_leader").orElse(1) == 0) steppedDown = System.nanoTime();
      Optional<Integer> leader = elected == 0 ? agreedLeader(majority, oldLeader) : Optional.empty();
      if (leader.isPresent()) {
        newLeader = leader.get();
        elected = System.nanoTime();
        acknowledgedAtElection = load.acknowledged();
      }
      if (System.nanoTime() - deadline >= 0) {
        fail("30 s after the cut: " + (elected == 0 ? "no new leader on the majority side" : "node " + newLeader + " leads")
            + "; node " + oldLeader + (steppedDown == 0 ? " still leads" : " stepped down"));
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    return new Failover(newLeader, elected, steppedDown, acknowledgedAtElection);
  }

  /** Every acknowledged put of a fresh key reads back its value; the scan holds nothing else than what puts may have written. */
  private static void checkFreshKeys(List<Operation> ops, ScanResult scan) {
    Map<String, String> acknowledged = new HashMap<>();
    Map<String, String> unknown = new HashMap<>();
    for (Operation op : ops) {
      if (op.f() != OpType.PUT || !op.key().startsWith("fresh-")) continue;
      (op.outcome() == Outcome.OK ? acknowledged : unknown).put(op.key(), op.value());
    }
    Map<String, String> read = new HashMap<>();
    for (KvEntry e : scan.entries()) read.put(e.key(), new String(e.value(), UTF_8));
    for (Map.Entry<String, String> w : acknowledged.entrySet()) {
      assertEquals(w.getValue(), read.get(w.getKey()), "the acknowledged write of " + w.getKey());
    }
    for (Map.Entry<String, String> r : read.entrySet()) {
      String written = acknowledged.getOrDefault(r.getKey(), unknown.get(r.getKey()));
      assertEquals(written, r.getValue(), r.getKey() + " holds a value no acknowledged or unknown put wrote");
    }
    assertTrue(acknowledged.size() >= 10, "too few fresh keys written: " + acknowledged.size());
  }

  /** Pekko Cluster runs without a downing provider, saw the partition, and never downed, removed or quarantined a member. */
  private void checkNoMemberWasDowned() throws IOException {
    boolean sawUnreachable = false;
    for (int id = 1; id <= NODES; id++) {
      List<String> lines = Files.readAllLines(cluster.logFile(id), UTF_8);
      assertTrue(lines.stream().anyMatch(l -> l.contains("No downing-provider-class configured")), "node " + id + " runs a downing provider");
      for (String line : lines) {
        assertFalse(DOWNING.matcher(line).find(), "node " + id + " logged: " + line);
        sawUnreachable |= line.contains("UNREACHABLE");
      }
    }
    assertTrue(sawUnreachable, "no node logged a member as UNREACHABLE: the partition went unseen, or the logs miss Pekko Cluster's lines");
  }

  /** Whether the nodes' logs say that every node was moved to Up (by the Pekko Cluster leader). */
  private Optional<Boolean> allMembersUp() {
    StringBuilder logs = new StringBuilder();
    try {
      for (int id = 1; id <= NODES; id++) logs.append(Files.readString(cluster.logFile(id), UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
    for (int id = 1; id <= NODES; id++) {
      String address = cluster.layout().member(id).pekkoAddress(cluster.layout().systemName());
      if (logs.indexOf("Leader is moving node [" + address + "] to [Up]") < 0) return Optional.empty();
    }
    return Optional.of(true);
  }

  // ---- the load ----

  /**
   * Writers, each through a session of its own: half of the operations put a fresh key (written
   * once), the rest put or read one of a few hot keys that every writer shares. Every operation is
   * recorded in the history, the writer's number being its process.
   */
  private final class Load {
    private final HistoryRecorder history;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Throwable> crashed = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    Load(RaftkvClient client, HistoryRecorder history) {
      this.history = history;
      for (int w = 0; w < WRITERS; w++) {
        int process = w;
        RaftkvClient own = client.withNewSession();
        Thread t = new Thread(() -> run(process, own), "partition-writer-" + w);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    private void run(int process, RaftkvClient client) {
      Random random = new Random(process);
      try {
        for (int n = 0; !stop; n++) {
          int kind = random.nextInt(10);
          String hot = "hot-" + random.nextInt(HOT_KEYS);
          String value = "v" + process + "-" + n;
          boolean acked = false;
          if (kind < 5) acked = put(history, process, client, "fresh-" + process + "-" + n, value) == null;
          else if (kind < 8) acked = put(history, process, client, hot, value) == null;
          else readIgnoringFailure(process, client, hot);
          if (acked) acknowledged.incrementAndGet();
          LockSupport.parkNanos(PACE_NANOS); // paces the load on a small machine; not a synchronization
        }
      } catch (Throwable t) {
        crashed.set(t);
      }
    }

    private void readIgnoringFailure(int process, RaftkvClient client, String key) {
      try {
        get(history, process, client, key);
      } catch (RaftkvException e) {
        // recorded as failed; reads fail while no leader answers
      }
    }

    long acknowledged() {
      return acknowledged.get();
    }

    void stop(Duration limit) throws InterruptedException {
      stop = true;
      long deadline = System.nanoTime() + limit.toNanos();
      for (Thread t : threads) {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        assertFalse(t.isAlive(), t.getName() + " did not stop within " + limit);
      }
      if (crashed.get() != null) throw new AssertionError("a writer failed", crashed.get());
    }
  }

  /** A put recorded in the history: null when it was acknowledged, else why not. */
  private static RaftkvException put(HistoryRecorder history, int process, RaftkvClient client, String key, String value) {
    history.invoke(process, OpType.PUT, key, value);
    try {
      client.put(key, value.getBytes(UTF_8));
      history.ok(process, OpType.PUT, key);
      return null;
    } catch (RaftkvException e) {
      history.failed(process, OpType.PUT, key, e.mayHaveTakenEffect());
      return e;
    }
  }

  /** A write through the cut-off old leader: refused as unavailable (503, or no answer in time), never acknowledged. */
  private static RaftkvException refused(RaftkvException failure, String when) {
    assertNotNull(failure, "a write through the isolated old leader (" + when + ") was acknowledged");
    assertInstanceOf(RaftkvUnavailableException.class, failure, "a write through the isolated old leader (" + when + ")");
    return failure;
  }

  /** A linearizable get recorded in the history: the value, or null when missing; a failure is recorded and thrown. */
  private static String get(HistoryRecorder history, int process, RaftkvClient client, String key) {
    history.invoke(process, OpType.GET, key, null);
    try {
      String value = client.get(key).map(b -> new String(b, UTF_8)).orElse(null);
      history.okGet(process, key, value);
      return value;
    } catch (RaftkvException e) {
      history.failed(process, OpType.GET, key, false); // a read has no effect
      throw e;
    }
  }

  // ---- what the nodes say ----

  private URI url(int id) {
    return URI.create(cluster.layout().member(id).httpUrl());
  }

  /** The leader that every node of {@code asked} names in its /health, if they agree and it is not {@code not}. */
  private Optional<Integer> agreedLeader(List<Integer> asked, int not) {
    Optional<Integer> first = cluster.leaderSeenBy(asked.get(0));
    if (first.isEmpty() || first.get() == not) return Optional.empty();
    for (int id : asked) {
      if (!cluster.leaderSeenBy(id).equals(first)) return Optional.empty();
    }
    return first;
  }

  private Optional<ClusterStatus> clusterStatus(int id) {
    try {
      return Optional.of(RaftkvClient.builder(List.of(url(id))).timeout(Duration.ofSeconds(5)).build().clusterStatus());
    } catch (RaftkvException e) {
      return Optional.empty();
    }
  }

  /** Node {@code id}'s own line of its /v1/cluster. */
  private Optional<NodeStatus> selfStatus(int id) {
    return clusterStatus(id).flatMap(s -> s.nodes().stream().filter(n -> n.id() == id).findFirst());
  }

  /** A gauge of node {@code id}'s /metrics (a number without labels), or empty when it does not answer. */
  private OptionalLong metric(int id, String name) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(id) + "/metrics")).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return OptionalLong.empty();
      for (String line : r.body().split("\n")) {
        if (line.startsWith(name + " ")) return OptionalLong.of((long) Double.parseDouble(line.substring(name.length() + 1).trim()));
      }
      return OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }

  // ---- waiting ----

  /** Polls {@code probe} until it gives a value, failing the test after {@code limit}. */
  private static <T> T await(String what, Duration limit, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) return value.get();
      if (System.nanoTime() - deadline >= 0) fail("waited " + limit.toSeconds() + " s for " + what);
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private static Optional<Long> atLeast(long value, long bound) {
    return value >= bound ? Optional.of(value) : Optional.empty();
  }

  private static long millisSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1_000_000;
  }

  private void printLogTails() {
    if (cluster == null) return;
    for (int id = 1; id <= NODES; id++) {
      try {
        List<String> lines = Files.readAllLines(cluster.logFile(id), UTF_8);
        System.out.println("--- node " + id + " log, last lines");
        lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(System.out::println);
      } catch (IOException e) {
        System.out.println("--- node " + id + " log: " + e.getMessage());
      }
    }
  }
}
