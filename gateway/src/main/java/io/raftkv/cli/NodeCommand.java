package io.raftkv.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftkv.http.HttpGateway;
import io.raftkv.node.ClusterJoin;
import io.raftkv.node.ClusterLayout;
import io.raftkv.node.FatalStop;
import io.raftkv.node.NodeConfig;
import io.raftkv.node.RaftkvNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftkv node --id N -f FILE}: runs one node in the foreground (one per host in a real deployment). */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one raftkv node in the foreground: its Raft log, the Raft node, the cluster join and the HTTP API.",
      "Stop it with Ctrl-C or SIGTERM (a clean shutdown); kill -9 loses nothing acknowledged.",
      "A node that stops itself because a part it needs failed writes why into STOPPED in its data directory."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:stopped cleanly; a stop by SIGTERM or Ctrl-C ends as the JVM's 143 or 130",
        "2:refused to start: bad configuration, its data directory or a port held by another process, or (with --join)"
            + " the member to join through unreachable or no leader adding this node",
        "3:stopped itself: the durable log (journal or snapshot store) failed",
        "4:stopped itself: another part it needs (the Raft node) failed",
        "6:stopped itself: it was removed from the cluster (raftkv member remove)"})
final class NodeCommand implements Callable<Integer> {
  @Option(names = "--id", required = true, description = "this node's id (in the cluster file, or new to the cluster with --join)")
  int id;

  @Option(names = "--join", paramLabel = "HOST:HTTP_PORT",
      description = "join the running cluster that this member (any member's HTTP address) belongs to, as a learner promoted once"
          + " caught up; needs --host, --artery-port, --http-port and --data-dir instead of a cluster file")
  String join;

  @Option(names = "--host", description = "with --join: the host other nodes reach this one at (and clients, unless --http-host)")
  String host;

  @Option(names = "--bind-host", description = "with --join: where this node listens for other nodes (default: --host; 0.0.0.0 for all interfaces)")
  String bindHost;

  @Option(names = "--http-host", description = "with --join: the host clients reach this node's HTTP API at (default: --host); the other"
      + " members show a member that joined at run time at its --host (docs/OPERATIONS.md)")
  String httpHost;

  @Option(names = "--http-bind-host", description = "with --join: where the HTTP API listens (default: --http-host)")
  String httpBindHost;

  @Option(names = "--artery-port", description = "with --join: the port other nodes reach this one on")
  Integer arteryPort;

  @Option(names = "--http-port", description = "with --join: the port of this node's HTTP API")
  Integer httpPort;

  @Option(names = "--data-dir", description = "with --join: this node's data directory")
  Path dataDir;

  @Option(names = "--learner", description = "with --join: stay a learner (never promoted to voter)")
  boolean learner;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "with --join to a cluster with API tokens (raftkv.auth.enabled = on in -c, as in the run/secure.conf of 'up --secure'):"
          + " an admin's token (default: $" + ClientOptions.TOKEN_ENV + "; the variable keeps it out of 'ps')")
  String token;

  /** The environment (tests give their own). */
  java.util.function.UnaryOperator<String> environment = System::getenv;

  /** Made by {@link #joiningConfig}: how this node asks the cluster to add it. */
  private ClusterJoin joining;

  @Option(names = {"-f", "--cluster-file"}, defaultValue = "conf/cluster.conf", description = "the cluster layout (default: ${DEFAULT-VALUE})")
  Path clusterFile;

  @Option(names = {"-c", "--config"}, defaultValue = "conf/application.conf",
      description = "more settings, if the file exists (default: ${DEFAULT-VALUE})")
  Path configFile;

  @Override
  public Integer call() {
    NodeConfig config;
    try {
      Config overrides = Files.isRegularFile(configFile) ? ConfigFactory.parseFile(configFile.toFile()) : ConfigFactory.empty();
      // The cluster file decides each node's data-dir; application.conf's single data-dir does not apply here.
      overrides = overrides.withoutPath("raftkv.data-dir");
      config = join == null ? NodeConfig.load(id, clusterFile, overrides, Path.of("").toAbsolutePath()) : joiningConfig(overrides);
    } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
      System.err.println("raftkv node: refusing to start: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (IOException e) {
      System.err.println("raftkv node: refusing to start: --join " + join + ": cannot read the cluster's members: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.USAGE;
    }
    String where = "raftkv.cluster.nodes (id " + id + ")";
    // Held while the node runs: a second process on the same data-dir would find RocksDB locked only
    // once the journal starts, after it announced itself, and hang until Pekko's recovery timeout.
    Path lockPath = config.dataDir().resolve("node.lock");
    try (FileChannel lock = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      if (lock.tryLock() == null) {
        System.err.println("raftkv node: refusing to start: " + where + " data-dir: " + config.dataDir() + " is in use by another process"
            + " (it holds " + lockPath + ")");
        return ExitCodes.USAGE;
      }
      FatalStop.clear(config.dataDir()); // this run is not the one that stopped, if one did
      return run(config, where);
    } catch (IOException e) {
      System.err.println("raftkv node: refusing to start: " + where + " data-dir: cannot lock " + lockPath + ": " + e.getMessage());
      return ExitCodes.USAGE;
    }
  }

  /** The configuration of a node that joins through {@code --join}: the members it is told of, and itself. */
  private NodeConfig joiningConfig(Config overrides) throws IOException, InterruptedException {
    if (host == null || arteryPort == null || httpPort == null || dataDir == null) {
      throw new IllegalArgumentException("--join needs --host, --artery-port, --http-port and --data-dir");
    }
    joining = JoinAccess.open(join, id, overrides, Path.of("").toAbsolutePath(), ClientOptions.token(token, environment));
    ClusterJoin.Cluster cluster = joining.cluster();
    String clientHost = httpHost != null ? httpHost : host;
    ClusterLayout.Member self = new ClusterLayout.Member(id, host, arteryPort, httpPort, dataDir.toAbsolutePath().toString(),
        bindHost != null ? bindHost : host, clientHost, httpBindHost != null ? httpBindHost : clientHost);
    Config layout = ClusterJoin.layout(cluster.members(), self);
    NodeConfig config = NodeConfig.of(id, overrides.withFallback(layout), Path.of("").toAbsolutePath(), true);
    joining.checkSameCluster(cluster, config.identity());
    return config;
  }

  private int run(NodeConfig config, String where) {
    RaftkvNode node;
    try {
      node = RaftkvNode.start(config);
    } catch (IllegalStateException e) { // a part of it failed at once: its log says why
      System.err.println("raftkv node: refusing to start: " + where + ": " + e.getMessage());
      return ExitCodes.NODE_FAILED;
    } catch (RuntimeException e) { // the ActorSystem could not bind its Artery port (another process holds it)
      System.err.println("raftkv node: refusing to start: " + where + " artery-port " + config.self().arteryPort() + ": cannot listen on "
          + config.self().bindHost() + ":" + config.self().arteryPort() + ": " + e.getMessage());
      return ExitCodes.USAGE;
    }
    try {
      new HttpGateway(node).bind().toCompletableFuture().join();
    } catch (RuntimeException e) {
      // A part that failed at once (a journal that cannot open) stops the node, and with it the binding.
      if (node.fatalStop().isPresent()) return afterTermination(node, config);
      System.err.println("raftkv node: refusing to start: " + where + " http-port " + config.self().httpPort() + ": cannot serve HTTP on "
          + config.self().httpBindHost() + ":" + config.self().httpPort() + ": " + e.getMessage());
      node.stop();
      return ExitCodes.USAGE;
    }
    System.out.println("raftkv node " + id + " serving " + config.httpUrl() + " (data in " + config.dataDir() + ")");
    if (join != null) {
      try {
        joining.add(id, host, arteryPort, httpPort, config.identity(), learner, line -> System.out.println("raftkv node: " + line));
        System.out.println("raftkv node " + id + " is a member: a learner" + (learner ? " (it stays one)" : ", promoted to voter once caught up"));
      } catch (IOException e) {
        System.err.println("raftkv node: " + e.getMessage() + "; stopping");
        node.stop();
        return ExitCodes.USAGE;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        node.stop();
        return ExitCodes.USAGE;
      }
    }
    return afterTermination(node, config);
  }

  /** Waits until the node has stopped: 0 after a clean stop, else the {@link FatalStop}'s code, its reason written down. */
  private int afterTermination(RaftkvNode node, NodeConfig config) {
    node.whenStopped().toCompletableFuture().join();
    Optional<FatalStop> stop = node.fatalStop();
    if (stop.isEmpty()) return ExitCodes.OK;
    // The node's log has the reason with its stack trace; the file keeps it for 'raftkv up' and 'raftkv status'.
    try {
      Path file = stop.get().write(config.dataDir(), id, Instant.now());
      System.err.println("raftkv node: exit " + stop.get().exitCode() + "; why is in " + file);
    } catch (IOException e) {
      System.err.println("raftkv node: exit " + stop.get().exitCode() + ": " + stop.get().reason() + " (cannot write "
          + FatalStop.file(config.dataDir()) + ": " + e.getMessage() + ")");
    }
    return stop.get().exitCode();
  }
}
