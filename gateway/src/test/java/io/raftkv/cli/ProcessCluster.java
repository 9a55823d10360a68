package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftkv.client.RaftkvClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Real node JVMs on 127.0.0.1 for process-level tests: a cluster file with free ports and a
 * settings file written into a test's temporary directory, {@code up}/{@code down} through the CLI,
 * single nodes started, killed, paused and resumed, and what each node reports on
 * {@code GET /v1/cluster}. Every wait polls a condition until a deadline.
 */
final class ProcessCluster {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  /** How long one HTTP status call may take. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
  /** How long a signal may take to be sent and to act (a busy machine can be slow to schedule even {@code kill}). */
  private static final Duration SIGNAL_LIMIT = Duration.ofSeconds(10);

  /** The space quota of a test's nodes unless its settings say otherwise (so each node's heap is about 2.8 GiB, not 6.2). */
  static final String TEST_QUOTA = "512 MiB";

  final Path clusterFile;
  final Path configFile;
  final Path runDir;
  final LocalCluster local;
  /** Set once {@link #upSecure} started the nodes: every call here then goes over HTTPS with the admin's token. */
  private volatile Secure secure;

  /** How this test speaks to a secure cluster: the admin's token, the CA, a client that trusts it, and the nodes as up --secure runs them. */
  private record Secure(String token, Path caCertificate, HttpClient http, LocalCluster local) {}

  private ProcessCluster(Path clusterFile, Path configFile, Path runDir) {
    this.clusterFile = clusterFile;
    this.configFile = configFile;
    this.runDir = runDir;
    this.local = new LocalCluster(clusterFile, configFile, runDir);
  }

  /**
   * Writes a cluster file of {@code nodes} members on free ports (data in {@code dir/data-N}) and a
   * settings file holding {@code settings} (HOCON, may be empty), both for {@code up} and {@code node -c}.
   */
  static ProcessCluster create(Path dir, int nodes, String settings) throws IOException {
    Path clusterFile = Files.writeString(dir.resolve("cluster.conf"), layout(dir, freePorts(2 * nodes)));
    // up sizes each node's heap from the quota: a test's few hundred MiB at most need no 2 GiB's worth.
    String quota = settings.contains("quota-bytes") ? "" : "raftkv.kv.quota-bytes = " + TEST_QUOTA + "\n";
    Path configFile = Files.writeString(dir.resolve("node.conf"), quota + settings + "\n");
    return new ProcessCluster(clusterFile, configFile, dir.resolve("run"));
  }

  /**
   * A cluster file's text: node N (1, 2, ...) on 127.0.0.1 with artery-port {@code ports[2N-2]},
   * http-port {@code ports[2N-1]} and its data in {@code dir/data-N}.
   */
  static String layout(Path dir, List<Integer> ports) {
    StringBuilder layout = new StringBuilder("raftkv.cluster.nodes = [\n");
    for (int id = 1; id <= ports.size() / 2; id++) {
      layout.append("  { id = ").append(id).append(", host = \"127.0.0.1\", artery-port = ").append(ports.get(2 * id - 2))
          .append(", http-port = ").append(ports.get(2 * id - 1)).append(", data-dir = \"").append(dir.resolve("data-" + id)).append("\" }\n");
    }
    return layout.append("]\n").toString();
  }

  /** Test nodes' ports are drawn from here: below the ephemeral range, which outgoing connections use. */
  static final int PORTS_FROM = 20_000;
  static final int PORTS_TO = 32_000;

  /** {@code count} distinct ports free on the loopback interface right now, below the ephemeral range (all held open together, so no two are equal). */
  static List<Integer> freePorts(int count) throws IOException {
    // Below the kernel's ephemeral range (32768-60999 by default): a port from it could be taken by any
    // process's outgoing connection (a node dialling a peer, a load generator) between this check and
    // the node binding it.
    List<ServerSocket> held = new ArrayList<>();
    java.util.Random random = new java.util.Random();
    try {
      for (int tries = 0; held.size() < count; tries++) {
        if (tries >= 10_000) throw new IOException("no " + count + " free loopback ports in [" + PORTS_FROM + ", " + PORTS_TO + ")");
        int port = PORTS_FROM + random.nextInt(PORTS_TO - PORTS_FROM);
        try {
          held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
        } catch (IOException inUse) {
          // taken: try another
        }
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : held) s.close();
    }
  }

  List<Integer> ids() {
    return local.layout().ids();
  }

  /** {@code raftkv up} with this cluster's files: starts every node not running and waits for one agreed leader. */
  void up() {
    long start = System.nanoTime();
    CliRun up = CliRun.of("up", "-f", clusterFile.toString(), "-c", configFile.toString(), "--run-dir", runDir.toString(), "--timeout", "120s");
    assertEquals(ExitCodes.OK, up.code(), up.toString());
    System.out.printf("up: %d nodes with a leader in %d ms%n", ids().size(), (System.nanoTime() - start) / 1_000_000);
  }

  /** {@code raftkv up --secure}, asserting it succeeded; returns its run for what it printed. */
  CliRun upSecure() {
    CliRun up = CliRun.of("up", "--secure", "-f", clusterFile.toString(), "-c", configFile.toString(), "--run-dir", runDir.toString(),
        "--timeout", "120s");
    assertEquals(ExitCodes.OK, up.code(), up.toString());
    if (secure == null) {
      try {
        String token = Files.readString(io.raftkv.security.TlsInit.tokenFile(runDir, io.raftkv.security.TlsInit.ADMIN_CLIENT)).strip();
        Path ca = LocalCluster.tlsFiles(com.typesafe.config.ConfigFactory.parseFile(configFile.toFile()).resolve()).caCertificate();
        secure = new Secure(token, ca, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .sslContext(io.raftkv.security.TlsContexts.forClient(ca, Optional.empty(), Optional.empty())).build(),
            new LocalCluster(clusterFile, runDir.resolve(LocalCluster.SECURE_SETTINGS), runDir));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return up;
  }

  /** {@code raftkv down}: resumes any paused node first, since a stopped process cannot act on SIGTERM. */
  void down() {
    for (int id : ids()) local.running(id).ifPresent(p -> send(p.pid(), "CONT"));
    long start = System.nanoTime();
    CliRun down = CliRun.of("down", "-f", clusterFile.toString(), "--run-dir", runDir.toString(), "--grace", "10s");
    assertEquals(ExitCodes.OK, down.code(), down.toString());
    System.out.printf("down: in %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  /** The pid of running node {@code id}. */
  long pid(int id) {
    return local.running(id).orElseThrow(() -> new AssertionError("node " + id + " is not running")).pid();
  }

  /** SIGSTOP: the node's JVM is frozen (it keeps its sockets, the kernel keeps accepting connections). */
  void pause(int id) {
    long pid = pid(id);
    signal(pid, "STOP");
    await(SIGNAL_LIMIT, "node " + id + " (pid " + pid + ") stopped", () -> processState(pid).map(s -> s == 'T').orElse(true));
  }

  /** SIGCONT for a node {@link #pause}d. */
  void resume(int id) {
    long pid = pid(id);
    signal(pid, "CONT");
    await(SIGNAL_LIMIT, "node " + id + " (pid " + pid + ") resumed", () -> processState(pid).map(s -> s != 'T').orElse(true));
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill(int id) {
    ProcessHandle p = local.running(id).orElseThrow(() -> new AssertionError("node " + id + " is not running"));
    p.destroyForcibly();
    try {
      p.onExit().get(SIGNAL_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("node " + id + " did not die of SIGKILL", e);
    }
  }

  private static void signal(long pid, String signal) {
    Optional<String> failed = send(pid, signal);
    assertTrue(failed.isEmpty(), () -> "kill -" + signal + " " + pid + ": " + failed.get());
  }

  /** Runs {@code kill -SIGNAL pid}; empty when it succeeded, else what went wrong. */
  private static Optional<String> send(long pid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(SIGNAL_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        kill.destroyForcibly();
        return Optional.of("did not return within " + SIGNAL_LIMIT.toMillis() + " ms");
      }
      String out = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return kill.exitValue() == 0 ? Optional.empty() : Optional.of("exit " + kill.exitValue() + ": " + out);
    } catch (IOException e) {
      return Optional.of(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  /** The state letter of /proc/PID/stat (R, S, T, ...), or empty where there is no /proc. */
  private static Optional<Character> processState(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return Optional.of(stat.charAt(stat.lastIndexOf(')') + 2));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A node started with {@code raftkv node --join}: its process, its HTTP URL, its data directory and its output. */
  record Joiner(int id, Process process, URI http, Path dataDir, Path log) {
    String output() {
      try {
        return Files.exists(log) ? Files.readString(log) : "(none)";
      } catch (IOException e) {
        return e.toString();
      }
    }

    /** Stops it (SIGTERM, then SIGKILL after 20 s) if it still runs. */
    void stop() throws InterruptedException {
      if (!process.isAlive()) return;
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(SIGNAL_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Starts node {@code id} outside the cluster file on free loopback ports, with an empty data
   * directory under {@code dir}, joining through member {@code via}'s HTTP address.
   */
  Joiner join(int id, int via, Path dir) throws IOException {
    return join(id, via, dir, freePorts(2), configFile, Optional.empty(), List.of());
  }

  /**
   * Starts node {@code id} outside the cluster file on {@code ports} (Artery's, then HTTP's), with an
   * empty data directory under {@code dir}, joining through member {@code via}'s HTTP address with the
   * settings of {@code config} (over https when they turn TLS on), {@code token} in
   * {@value ClientOptions#TOKEN_ENV} (never the test's own), and {@code more} arguments.
   */
  Joiner join(int id, int via, Path dir, List<Integer> ports, Path config, Optional<String> token, List<String> more) throws IOException {
    Path dataDir = dir.resolve("data-" + id);
    Path log = dir.resolve("node-" + id + ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), RaftkvCli.class.getName(), "node", "--id", Integer.toString(id), "--host", "127.0.0.1",
        "--artery-port", ports.get(0).toString(), "--http-port", ports.get(1).toString(), "--data-dir", dataDir.toString(),
        "--join", "127.0.0.1:" + local.layout().member(via).httpPort(), "-c", config.toString()));
    command.addAll(more);
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    b.environment().remove(ClientOptions.TOKEN_ENV);
    token.ifPresent(t -> b.environment().put(ClientOptions.TOKEN_ENV, t));
    Process p = b.start();
    String scheme = new LocalCluster(clusterFile, config, runDir).https() ? "https" : "http";
    return new Joiner(id, p, URI.create(scheme + "://127.0.0.1:" + ports.get(1)), dataDir, log);
  }

  /** Node {@code id}'s base URL: https once {@link #upSecure} started the nodes. */
  String url(int id) {
    String url = local.layout().member(id).httpUrl();
    return secure != null ? "https" + url.substring("http".length()) : url;
  }

  /** A client that calls only the given nodes, with a deadline per call generous enough for a failover (the admin's, on a secure cluster). */
  RaftkvClient client(int... ids) {
    List<URI> nodes = new ArrayList<>();
    for (int id : ids) nodes.add(URI.create(url(id)));
    RaftkvClient.Builder b = RaftkvClient.builder(nodes).timeout(Duration.ofSeconds(20));
    Secure s = secure;
    if (s != null) b.token(s.token()).caCertificate(s.caCertificate());
    return b.build();
  }

  /** What node {@code asked} answers to {@code GET /v1/cluster}, or empty if it does not answer in time. */
  Optional<JsonNode> clusterSeenBy(int asked) {
    return getJson(asked, "/v1/cluster");
  }

  /** What node {@code asked} answers to {@code GET /v1/members}, or empty if it does not answer in time. */
  Optional<JsonNode> membersSeenBy(int asked) {
    return getJson(asked, "/v1/members");
  }

  /** Member {@code id} as {@code client}'s {@code members()} lists it, or empty if it is not one or no node answered this time. */
  static Optional<io.raftkv.client.ClusterMembers.Member> member(RaftkvClient client, int id) {
    try {
      return client.members().members().stream().filter(m -> m.id() == id).findFirst();
    } catch (RuntimeException e) {
      return Optional.empty(); // no answer this time: the caller asks again until its deadline
    }
  }

  private Optional<JsonNode> getJson(int asked, String path) {
    try {
      Secure s = secure;
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(asked) + path)).timeout(CALL_TIMEOUT).GET();
      if (s != null) b.header("Authorization", "Bearer " + s.token());
      HttpResponse<String> r = (s != null ? s.http() : HTTP).send(b.build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Node {@code about}'s own status (role, term, leader, commitIndex, appliedIndex, lastLogIndex, snapshotIndex), asked of itself. */
  Optional<JsonNode> status(int about) {
    return clusterSeenBy(about).flatMap(c -> {
      for (JsonNode n : c.get("nodes")) {
        if (n.get("id").asInt() == about && n.get("reachable").asBoolean()) return Optional.of(n);
      }
      return Optional.empty();
    });
  }

  /** One index field of node {@code id}'s own status (asked again until it answers, within 10 s). */
  long index(int id, String field) {
    long[] value = new long[1];
    await(Duration.ofSeconds(10), "node " + id + " reports its " + field, () -> {
      value[0] = status(id).map(n -> n.get(field).asLong()).orElse(-1L);
      return value[0] >= 0;
    });
    return value[0];
  }

  /** The leader node {@code id} names as a follower or leader, once it knows one. */
  Optional<Integer> leaderSeenBy(int id) {
    Secure s = secure;
    return (s != null ? s.local() : local).leaderSeenBy(id);
  }

  /** The leader every node of {@code ids} names, once they agree. */
  Optional<Integer> agreedLeader(int... ids) {
    Optional<Integer> agreed = Optional.empty();
    for (int id : ids) {
      Optional<Integer> seen = leaderSeenBy(id);
      if (seen.isEmpty() || (agreed.isPresent() && !agreed.equals(seen))) return Optional.empty();
      agreed = seen;
    }
    return agreed;
  }

  /**
   * Waits until node {@code id} follows a leader (another node) and has applied at least
   * {@code index}; returns the milliseconds it took.
   */
  long awaitCaughtUp(int id, long index, Duration limit) {
    return await(limit, () -> "node " + id + " a follower with appliedIndex >= " + index + "; the nodes report " + describe(ids()), () -> status(id).filter(n -> "FOLLOWER".equals(n.get("role").asText())
            && n.get("leader").asInt() != 0 && n.get("leader").asInt() != id && n.get("appliedIndex").asLong() >= index).isPresent());
  }

  /** The leader that every node of {@code ids} names, waited for until {@code limit}. */
  int awaitLeader(Duration limit, int... ids) {
    int[] found = new int[1];
    await(limit, () -> "one leader named by nodes " + java.util.Arrays.toString(ids) + "; they report " + describe(java.util.Arrays.stream(ids).boxed().toList()), () -> {
      found[0] = agreedLeader(ids).orElse(0);
      return found[0] != 0;
    });
    return found[0];
  }

  /** What each of {@code ids} says of itself and its leader, for failure messages. */
  String describe(List<Integer> ids) {
    StringBuilder b = new StringBuilder();
    for (int id : ids) {
      b.append("\n  node ").append(id).append(": health names ").append(leaderSeenBy(id).map(String::valueOf).orElse("no leader"))
          .append(", status ").append(status(id).map(JsonNode::toString).orElse("none"));
    }
    return b.append("\n  logs in ").append(runDir).toString();
  }

  /** Polls {@code condition} every 50 ms until it holds (returns the milliseconds that took) or {@code limit} has passed (fails). */
  static long await(Duration limit, String what, BooleanSupplier condition) {
    return await(limit, () -> what, condition);
  }

  static long await(Duration limit, Supplier<String> what, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("not within " + limit.toSeconds() + " s: " + what.get());
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll the condition until the deadline
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * Pekko Cluster's membership as node {@code id}'s JVM sees it: the {@code ClusterStatus} JSON of
   * its {@code pekko:type=Cluster} MBean ({@code self}, {@code members} with their {@code status},
   * {@code unreachable}), read over JMX after attaching to the process. Never call it on a paused node.
   */
  JsonNode pekkoMembership(int id) throws Exception {
    com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(pid(id)));
    try (javax.management.remote.JMXConnector jmx = javax.management.remote.JMXConnectorFactory.connect(
        new javax.management.remote.JMXServiceURL(vm.startLocalManagementAgent()))) {
      Object status = jmx.getMBeanServerConnection().getAttribute(new javax.management.ObjectName("pekko:type=Cluster"), "ClusterStatus");
      return JSON.readTree(status.toString());
    } finally {
      vm.detach();
    }
  }

  /** What the JVM's pool of direct buffers holds ({@code java.nio:type=BufferPool,name=direct}): buffers and their bytes. */
  record DirectBuffers(long count, long bytes) {}

  /** Node {@code id}'s direct buffers, read over JMX (Artery's envelope buffers are direct, one frame each). Never on a paused node. */
  DirectBuffers directBuffers(int id) throws Exception {
    com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(pid(id)));
    try (javax.management.remote.JMXConnector jmx = javax.management.remote.JMXConnectorFactory.connect(
        new javax.management.remote.JMXServiceURL(vm.startLocalManagementAgent()))) {
      javax.management.ObjectName pool = new javax.management.ObjectName("java.nio:type=BufferPool,name=direct");
      javax.management.MBeanServerConnection server = jmx.getMBeanServerConnection();
      return new DirectBuffers((Long) server.getAttribute(pool, "Count"), (Long) server.getAttribute(pool, "TotalCapacity"));
    } finally {
      vm.detach();
    }
  }

  /** Waits until node {@code id} sees every node of the cluster as an {@code Up} member, none unreachable; returns the milliseconds. */
  long awaitPekkoMembersUp(int id, Duration limit) {
    JsonNode[] seen = new JsonNode[1];
    return await(limit, () -> "node " + id + " sees all " + ids().size() + " members Up and reachable; it sees " + seen[0], () -> {
      try {
        seen[0] = pekkoMembership(id);
      } catch (Exception e) {
        seen[0] = JSON.getNodeFactory().textNode(e.toString());
        return false;
      }
      long up = 0;
      for (JsonNode m : seen[0].path("members")) if ("Up".equals(m.path("status").asText())) up++;
      return up == ids().size() && seen[0].path("unreachable").isEmpty();
    });
  }
}
