package io.raftkv.profiling.run;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import io.raftkv.cli.LocalCluster;
import io.raftkv.cli.SecureUp;
import io.raftkv.node.ClusterLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The nodes a profiling run records: either a cluster this run starts for itself (fresh data
 * directories under the run's own folder, stopped and removed at the end) or the local cluster that
 * {@code raftkv up} started ({@code --attach}), which it leaves running.
 */
public final class ProfiledCluster implements AutoCloseable {
  /** One node: its Raft id, its JVM's pid and its gateway's URL. */
  public record Node(int id, long pid, String httpUrl) {}

  /** How long the nodes of a fresh cluster have to agree on a leader. */
  public static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);
  /** How long a node of a fresh cluster has to stop cleanly before it is killed. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(20);
  /**
   * Options for the nodes a run starts: without DebugNonSafepoints the JIT records frames only at
   * safepoints, and the profiler attributes samples to the wrong inlined method.
   */
  static final List<String> NODE_JVM_OPTIONS = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints");

  private static final String PORT_HINT = "is a cluster running? Stop it with 'raftkv down' (raftkv profile can record it with --attach)";

  private final LocalCluster cluster;
  private final List<Node> nodes;
  private final boolean owned;
  private final Path dataDir;
  private final Optional<ClusterCredentials> credentials; // present when the nodes run with TLS and API tokens
  private volatile boolean keepData; // close() leaves the data directory for a later 'raftkv up'

  private ProfiledCluster(LocalCluster cluster, List<Node> nodes, boolean owned, Path dataDir, Optional<ClusterCredentials> credentials) {
    this.cluster = cluster;
    this.nodes = List.copyOf(nodes);
    this.owned = owned;
    this.dataDir = dataDir;
    this.credentials = credentials;
  }

  /** How to reach the nodes when they run secure ({@code raftkv up --secure}): the CA to trust and the admin's token. */
  public Optional<ClusterCredentials> credentials() {
    return credentials;
  }

  public List<Node> nodes() {
    return nodes;
  }

  /**
   * Makes {@link #close} stop the nodes but keep their data, so that {@code raftkv up} can start the
   * same cluster again from the cluster file written beside its data; returns this cluster.
   */
  public ProfiledCluster keepDataOnClose() {
    keepData = true;
    return this;
  }

  /** Whether this run started the nodes (and so stops them). */
  public boolean owned() {
    return owned;
  }

  /** The node every member names as leader now, if they agree. */
  public Optional<Integer> leader() {
    return cluster.agreedLeader();
  }

  /**
   * Starts the first {@code count} members of {@code clusterFile} as a cluster of their own, with data
   * and logs under {@code workDir}, and waits for a leader. Refuses if a port is taken.
   */
  public static ProfiledCluster start(Path clusterFile, Path configFile, int count, Path workDir, Consumer<String> progress)
      throws IOException {
    return start(clusterFile, configFile, count, workDir, NODE_JVM_OPTIONS, progress);
  }

  /** The same, with {@code jvmOptions} for every node's JVM. */
  public static ProfiledCluster start(Path clusterFile, Path configFile, int count, Path workDir, List<String> jvmOptions,
      Consumer<String> progress) throws IOException {
    return start(clusterFile, configFile, count, workDir, jvmOptions, false, 0, progress);
  }

  /**
   * The same; with {@code secure}, TLS between the nodes, HTTPS and API tokens as {@code raftkv up
   * --secure} runs them, with material made for this run under {@code workDir/tls}; every port of the
   * cluster file moved by {@code portOffset}, so that two such clusters can run side by side.
   */
  public static ProfiledCluster start(Path clusterFile, Path configFile, int count, Path workDir, List<String> jvmOptions, boolean secure,
      int portOffset, Consumer<String> progress) throws IOException {
    ClusterLayout source = ClusterLayout.from(ConfigFactory.parseFile(clusterFile.toFile()).resolve());
    if (count < 1 || count > source.members().size()) {
      throw new IllegalArgumentException("--nodes " + count + ": " + clusterFile + " has " + source.members().size() + " members");
    }
    List<ClusterLayout.Member> members = source.members().subList(0, count).stream().map(m -> moved(m, portOffset)).toList();
    for (ClusterLayout.Member m : members) {
      Ports.requireFree(m.host(), m.httpPort(), "node " + m.id() + "'s http-port", PORT_HINT);
      Ports.requireFree(m.host(), m.arteryPort(), "node " + m.id() + "'s artery-port", PORT_HINT);
    }
    Path dataDir = workDir.resolve("data").toAbsolutePath();
    Path file = workDir.resolve("cluster.conf");
    Files.createDirectories(workDir);
    Files.writeString(file, clusterFileText(source.systemName(), members, dataDir), StandardCharsets.UTF_8);
    Optional<ClusterCredentials> credentials = Optional.empty();
    if (secure) {
      SecureUp secured = new SecureUp(file, tlsSettings(configFile, workDir), workDir);
      secured.prepare(ClusterLayout.from(ConfigFactory.parseFile(file.toFile()).resolve()), progress);
      configFile = secured.settingsFile();
      credentials = Optional.of(ClusterCredentials.read(secured.tls().caCertificate(), secured.adminTokenFile()));
    }
    LocalCluster cluster = new LocalCluster(file, configFile, workDir);
    if (System.getenv(LocalCluster.NODE_JAVA_OPTS) == null) {
      io.raftkv.cli.NodeHeap heap = cluster.nodeHeap();
      progress.accept(heap.summary());
      if (heap.capped()) progress.accept(heap.warning());
    }
    List<Node> nodes = new ArrayList<>();
    for (ClusterLayout.Member m : members) {
      ProcessHandle p = cluster.start(m.id(), jvmOptions);
      nodes.add(new Node(m.id(), p.pid(), cluster.url(m.id())));
      progress.accept("node " + m.id() + " starting: pid " + p.pid() + ", log " + cluster.logFile(m.id()));
    }
    ProfiledCluster started = new ProfiledCluster(cluster, nodes, true, dataDir, credentials);
    try {
      started.awaitLeader(LEADER_TIMEOUT);
    } catch (IOException | RuntimeException e) {
      started.close();
      throw e;
    }
    return started;
  }

  /** The cluster that {@code raftkv up} runs from {@code clusterFile}, with pid files in {@code runDir}; every member must be running. */
  public static ProfiledCluster attach(Path clusterFile, Path configFile, Path runDir) throws IOException {
    // A cluster 'raftkv up --secure' started: its nodes run with the settings it wrote, and its admin token is beside them.
    Optional<ClusterCredentials> credentials = Optional.empty();
    if (LocalCluster.secureSettings(runDir, clusterFile).isPresent()) {
      SecureUp secured = new SecureUp(clusterFile, configFile, runDir);
      configFile = secured.settingsFile();
      credentials = Optional.of(ClusterCredentials.read(LocalCluster.tlsFiles(ConfigFactory.parseFile(configFile.toFile())
          .resolve(com.typesafe.config.ConfigResolveOptions.defaults().setAllowUnresolved(true))).caCertificate(), secured.adminTokenFile()));
    }
    LocalCluster cluster = new LocalCluster(clusterFile, configFile, runDir);
    List<Node> nodes = new ArrayList<>();
    for (ClusterLayout.Member m : cluster.layout().members()) {
      ProcessHandle p = cluster.running(m.id()).orElseThrow(() -> new ClusterUnreachableException(
          "--attach: node " + m.id() + " is not running (no live pid in " + cluster.pidFile(m.id()) + "); start the cluster with 'raftkv up'"));
      nodes.add(new Node(m.id(), p.pid(), cluster.url(m.id())));
    }
    ProfiledCluster attached = new ProfiledCluster(cluster, nodes, false, null, credentials);
    attached.awaitLeader(Duration.ofSeconds(10));
    return attached;
  }

  /** Waits until every node names the same leader. */
  private void awaitLeader(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (cluster.agreedLeader().isEmpty()) {
      for (Node n : nodes) {
        if (ProcessHandle.of(n.pid()).filter(ProcessHandle::isAlive).isEmpty()) {
          throw new ClusterUnreachableException("node " + n.id() + " exited; see " + cluster.logFile(n.id()));
        }
      }
      if (System.nanoTime() > deadline) throw new ClusterUnreachableException("the nodes agreed on no leader within " + timeout.toSeconds() + " s");
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // poll /health until the deadline
    }
  }

  /** The log file of node {@code id}. */
  public Path logFile(int id) {
    return cluster.logFile(id);
  }

  /** Stops and removes (unless {@link #keepDataOnClose}) a cluster this run started; leaves an attached one alone. */
  @Override
  public void close() throws IOException {
    if (!owned) return;
    cluster.stop(nodes.stream().map(Node::id).toList(), STOP_GRACE);
    if (!keepData) Directories.deleteTree(dataDir);
  }


  /** {@code m} with both its ports moved by {@code offset}. */
  private static ClusterLayout.Member moved(ClusterLayout.Member m, int offset) {
    if (offset == 0) return m;
    return new ClusterLayout.Member(m.id(), m.host(), m.arteryPort() + offset, m.httpPort() + offset, m.dataDir(), m.bindHost(), m.httpHost(),
        m.httpBindHost());
  }

  /** The settings of {@code configFile} with this run's own TLS directory, {@code workDir/tls}, for {@link SecureUp} to fill. */
  private static Path tlsSettings(Path configFile, Path workDir) throws IOException {
    Path file = workDir.resolve("tls-dir.conf");
    Files.writeString(file, "# written by raftkv for this run only: its TLS material is its own\n"
        + (Files.isRegularFile(configFile) ? "include file(" + ConfigUtil.quoteString(configFile.toAbsolutePath().toString()) + ")\n" : "")
        + "raftkv.tls.dir = " + ConfigUtil.quoteString(workDir.resolve("tls").toAbsolutePath().toString()) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private static String clusterFileText(String systemName, List<ClusterLayout.Member> members, Path dataDir) {
    StringBuilder s = new StringBuilder("# written by raftkv for this run only\nraftkv.cluster {\n");
    s.append("  system-name = \"").append(systemName).append("\"\n  nodes = [\n");
    for (ClusterLayout.Member m : members) {
      s.append("    { id = ").append(m.id()).append(", host = \"").append(m.host()).append("\", artery-port = ").append(m.arteryPort())
          .append(", http-port = ").append(m.httpPort()).append(", data-dir = \"").append(dataDir.resolve("node-" + m.id())).append("\" }\n");
    }
    return s.append("  ]\n}\n").toString();
  }
}
