package io.raftkv.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import io.raftkv.node.ClusterLayout;
import io.raftkv.node.FatalStop;
import io.raftkv.security.TlsContexts;
import io.raftkv.security.TlsFiles;
import io.raftkv.security.TlsSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cluster of node processes on this machine, started in the background from a cluster file: one
 * pid file and one log file per node under a run directory. What {@code up} and {@code down} use.
 * When the settings file turns {@code raftkv.tls.enabled} on, the nodes are asked over HTTPS,
 * trusting the {@code ca.pem} of {@code raftkv.tls.dir}.
 */
public final class LocalCluster {
  /** The run directory of {@code up} and {@code down} unless told otherwise. */
  public static final Path DEFAULT_RUN_DIR = Path.of("run");
  /**
   * The settings {@code raftkv up --secure} starts the nodes with, in the run directory: the
   * {@code --config} file's, with TLS and authentication on, and the cluster file they are for
   * ({@value #SECURE_CLUSTER_FILE}). Client commands read it to know the cluster is secure;
   * {@code raftkv down} removes it.
   */
  public static final String SECURE_SETTINGS = "secure.conf";
  static final String SECURE_CLUSTER_FILE = "raftkv.up.cluster-file";
  /** The environment variable whose value, split at whitespace, replaces the default node JVM options ({@link #defaultNodeJvmOptions}). */
  public static final String NODE_JAVA_OPTS = "RAFTKV_NODE_JAVA_OPTS";
  /**
   * JVM options of every node this machine starts, with the maximum heap ({@link NodeHeap}), unless
   * {@value #NODE_JAVA_OPTS} says otherwise. The parallel collector: on two cores G1's concurrent
   * threads and write barriers cost the nodes about a sixth of their CPU per request, and its young
   * pauses set the put tail (docs/PERFORMANCE.md, step 1). The heap starts small and its maximum
   * holds a state at the space quota, within what the machine has. A node loads about 62 MiB of class
   * metadata; with the JVM's default first threshold (21 MiB) it ran several full collections of
   * 90-220 ms while loading it, in the first minute under load (step 3), so the first threshold sits
   * above what a node needs.
   */
  public static final List<String> BASE_NODE_JVM_OPTIONS = List.of("-XX:+UseParallelGC", "-Xms256m", "-XX:MetaspaceSize=128m");
  private final ClusterLayout layout;
  private final Path clusterFile;
  private final Path configFile;
  private final Path runDir;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  /** The TLS material the nodes use, when they serve HTTPS. */
  private final Optional<TlsFiles> tls;
  private HttpClient http; // made at first use: over TLS, from the CA file that up --secure may have just written

  public LocalCluster(Path clusterFile, Path configFile, Path runDir) {
    this.clusterFile = clusterFile.toAbsolutePath();
    this.configFile = configFile.toAbsolutePath();
    this.runDir = runDir.toAbsolutePath();
    if (!Files.isRegularFile(clusterFile)) throw new IllegalArgumentException("cluster file " + clusterFile + " does not exist");
    Config file = ConfigFactory.parseFile(clusterFile.toFile());
    this.layout = ClusterLayout.from(file.resolve());
    this.tls = tls(configFile, file);
  }

  /** The TLS material of the nodes when the settings over the cluster file turn TLS on; empty when they do not, or cannot be read (a node says why). */
  private static Optional<TlsFiles> tls(Path configFile, Config clusterFile) {
    try {
      Config settings = (Files.isRegularFile(configFile) ? ConfigFactory.parseFile(configFile.toFile()) : ConfigFactory.empty())
          .withFallback(clusterFile).resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
      boolean on = settings.hasPath(TlsSettings.KEY + ".enabled") && settings.getBoolean(TlsSettings.KEY + ".enabled");
      return on ? Optional.of(tlsFiles(settings)) : Optional.empty();
    } catch (ConfigException e) {
      return Optional.empty();
    }
  }

  /** The TLS material {@code settings} name ({@code raftkv.tls.dir}, default conf/tls), resolved against the working directory as a node does. */
  public static TlsFiles tlsFiles(Config settings) {
    String dir = settings.hasPath(TlsSettings.KEY + ".dir") ? settings.getString(TlsSettings.KEY + ".dir") : TlsFiles.DEFAULT_DIR.toString();
    return new TlsFiles(Path.of("").toAbsolutePath().resolve(dir).normalize());
  }

  /** The settings {@code raftkv up --secure} wrote in {@code runDir} for {@code clusterFile}, if it did ({@link #SECURE_SETTINGS}). */
  public static Optional<Config> secureSettings(Path runDir, Path clusterFile) {
    Path file = runDir.resolve(SECURE_SETTINGS);
    if (!Files.isRegularFile(file)) return Optional.empty();
    try {
      Config settings = ConfigFactory.parseFile(file.toFile());
      boolean ours = settings.hasPath(SECURE_CLUSTER_FILE)
          && Path.of(settings.getString(SECURE_CLUSTER_FILE)).equals(clusterFile.toAbsolutePath().normalize());
      return ours ? Optional.of(settings) : Optional.empty();
    } catch (ConfigException e) {
      return Optional.empty(); // not one up wrote: the nodes it names are not known to be secure
    }
  }

  /** Whether the nodes serve HTTPS (the settings file turns TLS on). */
  public boolean https() {
    return tls.isPresent();
  }

  /** Node {@code id}'s base URL: https when the nodes serve it. */
  public String url(int id) {
    String url = layout.member(id).httpUrl();
    return https() ? "https" + url.substring("http".length()) : url;
  }

  private synchronized HttpClient http() {
    if (http == null) {
      HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
      tls.map(TlsFiles::caCertificate).filter(Files::isRegularFile)
          .ifPresent(ca -> b.sslContext(TlsContexts.forClient(ca, Optional.empty(), Optional.empty())));
      http = b.build();
    }
    return http;
  }

  public ClusterLayout layout() { return layout; }
  public Path pidFile(int id) { return runDir.resolve("node-" + id + ".pid"); }
  public Path logFile(int id) { return runDir.resolve("node-" + id + ".log"); }
  /** Node {@code id}'s data directory, as the node resolves it: against the working directory, which the nodes this starts share. */
  public Path dataDir(int id) { return Path.of("").toAbsolutePath().resolve(layout.member(id).dataDir()).normalize(); }

  /** Why node {@code id}'s last run stopped itself ({@link FatalStop}), if it did. */
  public Optional<String> stoppedItself(int id) { return FatalStop.read(dataDir(id)); }

  /** The node's process, if its pid file names one that is alive. */
  public Optional<ProcessHandle> running(int id) {
    try {
      if (!Files.isRegularFile(pidFile(id))) return Optional.empty();
      long pid = Long.parseLong(Files.readString(pidFile(id)).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The command that runs node {@code id} with this JVM's java and class path, {@code jvmOptions} before the class. */
  public List<String> command(int id, List<String> jvmOptions) {
    return nodeCommand(id, clusterFile, configFile, jvmOptions);
  }

  /** Starts node {@code id} in the background with this JVM's class path; its output goes to its log file. */
  public ProcessHandle start(int id) throws IOException {
    return start(id, List.of());
  }

  /** The same, with {@code jvmOptions} for the node's JVM. */
  public ProcessHandle start(int id, List<String> jvmOptions) throws IOException {
    Files.createDirectories(runDir);
    FatalStop.clear(dataDir(id)); // the node clears it too, but only once its configuration is read
    Process p = new ProcessBuilder(command(id, jvmOptions))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id).toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    Files.writeString(pidFile(id), p.pid() + "\n");
    return p.toHandle();
  }

  /** {@code raftkv node --id ID -f CLUSTER -c CONFIG} run by this JVM's java with its class path. */
  public static List<String> nodeCommand(int id, Path clusterFile, Path configFile) {
    return nodeCommand(id, clusterFile, configFile, List.of());
  }

  /** The same, with {@code jvmOptions} before the class. */
  public static List<String> nodeCommand(int id, Path clusterFile, Path configFile, List<String> jvmOptions) {
    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(withoutOverridden(nodeJvmOptions(System.getenv(NODE_JAVA_OPTS), nodeHeap(clusterFile, configFile)), jvmOptions));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), RaftkvCli.class.getName(), "node", "--id", Integer.toString(id),
        "-f", clusterFile.toString(), "-c", configFile.toString()));
    return command;
  }

  /** {@link #BASE_NODE_JVM_OPTIONS} with {@code heap}'s maximum: what a node gets unless told otherwise. */
  static List<String> defaultNodeJvmOptions(NodeHeap heap) {
    List<String> options = new ArrayList<>(BASE_NODE_JVM_OPTIONS);
    options.add(2, heap.xmx()); // after -Xms, as a reader of the command line expects
    options.add(3, heap.maxNewSize());
    return List.copyOf(options);
  }

  /** {@link #defaultNodeJvmOptions}, or the options in {@code fromEnvironment} when it is set (blank: none). */
  static List<String> nodeJvmOptions(String fromEnvironment, NodeHeap heap) {
    if (fromEnvironment == null) return defaultNodeJvmOptions(heap);
    return fromEnvironment.isBlank() ? List.of() : List.of(fromEnvironment.trim().split("\\s+"));
  }

  /** The heap this cluster's nodes get ({@link NodeHeap}), from its files and this machine's memory. */
  public NodeHeap nodeHeap() {
    return nodeHeap(clusterFile, configFile);
  }

  /**
   * The heap for the nodes of {@code clusterFile} with the settings of {@code configFile}: its
   * {@code raftkv.kv.quota-bytes}, {@code raftkv.raft.snapshot-entries-max}, {@code snapshot-log-bytes-min} and {@code -max}, or their defaults
   * when the file is missing or unreadable (a node refuses a bad file itself, naming the setting).
   */
  static NodeHeap nodeHeap(Path clusterFile, Path configFile) {
    Config reference = ConfigFactory.defaultReference();
    Config settings = reference;
    try {
      if (Files.isRegularFile(configFile)) settings = ConfigFactory.parseFile(configFile.toFile()).withFallback(reference).resolve();
      settings.getBytes("raftkv.kv.quota-bytes");
      settings.getInt("raftkv.raft.snapshot-entries-max");
      settings.getBytes("raftkv.raft.snapshot-log-bytes-min");
      settings.getBytes("raftkv.raft.snapshot-log-bytes-max");
    } catch (ConfigException e) {
      settings = reference;
    }
    long quota = Math.max(1, settings.getBytes("raftkv.kv.quota-bytes"));
    int snapshotEntries = Math.max(1, settings.getInt("raftkv.raft.snapshot-entries-max"));
    long snapshotLogBytesMin = Math.max(1, settings.getBytes("raftkv.raft.snapshot-log-bytes-min"));
    long snapshotLogBytesMax = Math.max(1, settings.getBytes("raftkv.raft.snapshot-log-bytes-max"));
    return NodeHeap.derive(quota, snapshotEntries, snapshotLogBytesMin, snapshotLogBytesMax, membersIn(clusterFile),
        NodeHeap.physicalMemoryBytes());
  }

  /** How many nodes the cluster file lists (all of them run on this machine); 1 when it cannot be read. */
  private static int membersIn(Path clusterFile) {
    try {
      return Math.max(1, ConfigFactory.parseFile(clusterFile.toFile()).getList("raftkv.cluster.nodes").size());
    } catch (ConfigException e) {
      return 1;
    }
  }

  /**
   * The base options the caller's do not override. Later options win for most flags, but not for
   * these: a second collector ({@code -XX:+Use...GC}) makes the JVM refuse to start, and an
   * initial heap or young generation above the caller's maximum too. So a caller that picks a
   * collector or sizes the heap (or its young generation) replaces the base's choice of either.
   */
  static List<String> withoutOverridden(List<String> base, List<String> caller) {
    boolean callerCollector = caller.stream().anyMatch(LocalCluster::selectsCollector);
    boolean callerHeap = caller.stream().anyMatch(LocalCluster::sizesHeap);
    return base.stream().filter(o -> !(callerCollector && selectsCollector(o)) && !(callerHeap && sizesHeap(o))).toList();
  }

  private static boolean selectsCollector(String option) {
    return option.startsWith("-XX:+Use") && option.endsWith("GC");
  }

  private static boolean sizesHeap(String option) {
    return option.startsWith("-Xmx") || option.startsWith("-Xms") || option.startsWith("-Xmn")
        || option.startsWith("-XX:MaxNewSize=") || option.startsWith("-XX:NewSize=");
  }

  /** The leader id that node {@code id}'s {@code /health} reports, or empty. */
  public Optional<Integer> leaderSeenBy(int id) {
    try {
      HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(url(id) + "/health"))
          .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return Optional.empty();
      com.fasterxml.jackson.databind.JsonNode leader = JSON.readTree(r.body()).get("leader");
      return leader == null || !leader.canConvertToInt() || leader.asInt() == 0 ? Optional.empty() : Optional.of(leader.asInt());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Stops the given nodes together: SIGTERM to each (a clean shutdown), then SIGKILL to any still
   * running after {@code grace}. Together, because a node leaving the Pekko Cluster while another
   * member is unreachable (a crashed node) waits out its leave timeouts: one at a time, every node
   * would add its own wait. Returns the ids that were running.
   */
  public List<Integer> stop(List<Integer> ids, Duration grace) throws IOException {
    java.util.Map<Integer, ProcessHandle> running = new java.util.TreeMap<>();
    for (int id : ids) running(id).ifPresent(p -> running.put(id, p));
    running.values().forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle p : running.values()) {
      try {
        p.onExit().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        p.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      } catch (java.util.concurrent.ExecutionException e) {
        // it exited anyway
      }
    }
    for (int id : ids) Files.deleteIfExists(pidFile(id));
    return List.copyOf(running.keySet());
  }

  /**
   * The status node {@code id} answers to {@code GET path} with {@code token} as its bearer token,
   * or empty when it does not answer.
   */
  public Optional<Integer> statusWithToken(int id, String path, String token) {
    try {
      return Optional.of(http().send(HttpRequest.newBuilder(URI.create(url(id) + path)).timeout(Duration.ofSeconds(5))
          .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The leader every node names, once they all name the same one. */
  public Optional<Integer> agreedLeader() {
    Optional<Integer> agreed = Optional.empty();
    for (ClusterLayout.Member m : layout.members()) {
      Optional<Integer> seen = leaderSeenBy(m.id());
      if (seen.isEmpty() || (agreed.isPresent() && !agreed.equals(seen))) return Optional.empty();
      agreed = seen;
    }
    return agreed;
  }
}
