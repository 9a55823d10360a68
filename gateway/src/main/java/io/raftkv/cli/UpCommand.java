package io.raftkv.cli;

import io.raftkv.node.ClusterLayout;
import io.raftkv.security.TlsInit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code raftkv up}: starts the local cluster in the background and waits until it has a leader. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Starts every node of the cluster file on this machine in the background, with pid and log files under the run directory.",
      "Waits until they agree on a leader and prints the endpoints. Nodes already running are left alone.",
      "Each node's maximum heap holds a state at raftkv.kv.quota-bytes, within this machine's memory (a warning says when it",
      "cannot); RAFTKV_NODE_JAVA_OPTS replaces the nodes' JVM options.",
      "With --secure: TLS and API tokens (docs/SECURITY.md). 'raftkv certs init' runs first when the TLS directory lacks",
      "material for the file's nodes; the nodes run with the settings of --config and raftkv.tls.enabled and",
      "raftkv.auth.enabled on (written to <run-dir>/secure.conf, which client commands read too); up waits for a leader",
      "over HTTPS, checks the admin token, and says where the tokens are."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the cluster is up with a leader", "2:bad usage or configuration (a node refused to start; nodes running"
        + " with or without --secure when asked the other)", "4:no leader within --timeout, or a node stopped itself (which and why is printed)",
        "8:--secure: the nodes do not accept the admin token"})
final class UpCommand implements Callable<Integer> {
  @Mixin LocalClusterOptions where;

  @Option(names = {"-c", "--config"}, defaultValue = "conf/application.conf", description = "more settings (default: ${DEFAULT-VALUE})")
  Path configFile;

  @Option(names = "--secure", description = "TLS between the nodes and HTTPS, and API tokens with roles (see above)")
  boolean secure;

  @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class,
      description = "how long to wait for a leader (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    Optional<LocalCluster> plain = where.open("up", configFile);
    if (plain.isEmpty()) return ExitCodes.USAGE;
    Optional<String> mixed = mixed(plain.get());
    if (mixed.isPresent()) {
      System.err.println("raftkv up: " + mixed.get());
      return ExitCodes.USAGE;
    }
    SecureUp secured = null;
    LocalCluster cluster = plain.get();
    if (secure) {
      secured = new SecureUp(where.clusterFile, configFile, where.runDir);
      try {
        secured.prepare(cluster.layout(), System.out::println);
      } catch (IllegalArgumentException e) {
        System.err.println("raftkv up --secure: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      Optional<LocalCluster> opened = where.open("up", secured.settingsFile());
      if (opened.isEmpty()) return ExitCodes.USAGE;
      cluster = opened.get();
    } else {
      Files.deleteIfExists(where.runDir.resolve(LocalCluster.SECURE_SETTINGS)); // no node runs with it (mixed said so)
    }
    if (System.getenv(LocalCluster.NODE_JAVA_OPTS) == null) {
      NodeHeap heap = cluster.nodeHeap();
      System.out.println(heap.summary());
      if (heap.capped()) System.err.println("raftkv up: " + heap.warning());
    }
    for (ClusterLayout.Member m : cluster.layout().members()) {
      if (cluster.running(m.id()).isPresent()) {
        System.out.println("node " + m.id() + " already running (pid " + cluster.running(m.id()).get().pid() + ")");
      } else {
        System.out.println("node " + m.id() + " starting: pid " + cluster.start(m.id()).pid() + ", log " + cluster.logFile(m.id()));
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextProgress = 0;
    while (true) {
      Optional<Integer> leader = cluster.agreedLeader();
      if (leader.isPresent()) {
        System.out.println("cluster up" + (secure ? " (TLS and API tokens)" : "") + ": leader is node " + leader.get());
        for (ClusterLayout.Member m : cluster.layout().members()) System.out.println("  node " + m.id() + "  " + cluster.url(m.id()));
        return secure ? tokens(cluster, secured, leader.get()) : ExitCodes.OK;
      }
      for (ClusterLayout.Member m : cluster.layout().members()) {
        if (cluster.running(m.id()).isEmpty()) {
          Optional<String> why = cluster.stoppedItself(m.id());
          if (why.isPresent()) {
            System.err.println("raftkv up: node " + m.id() + " exited: " + why.get() + "; see " + cluster.logFile(m.id()));
            return ExitCodes.UNREACHABLE;
          }
          System.err.println("raftkv up: node " + m.id() + " exited; see " + cluster.logFile(m.id()));
          return ExitCodes.USAGE;
        }
      }
      if (System.nanoTime() > deadline) {
        System.err.println("raftkv up: no leader within " + timeout.toSeconds() + " s; logs in " + where.runDir.toAbsolutePath());
        return ExitCodes.UNREACHABLE;
      }
      if (System.nanoTime() > nextProgress) {
        System.err.println("waiting for a leader...");
        nextProgress = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // poll /health until the deadline
    }
  }

  /**
   * Why the nodes cannot be started as asked, if they cannot: some run already, and were started
   * with --secure while this up is not, or the other way round (their settings would not be theirs).
   */
  private Optional<String> mixed(LocalCluster cluster) {
    List<Integer> running = cluster.layout().ids().stream().filter(id -> cluster.running(id).isPresent()).toList();
    boolean secureNow = LocalCluster.secureSettings(where.runDir, where.clusterFile).isPresent();
    if (running.isEmpty() || secure == secureNow) return Optional.empty();
    return Optional.of("nodes " + running + " run " + (secureNow ? "with" : "without") + " --secure: run 'raftkv down' first, or 'raftkv up"
        + (secureNow ? " --secure" : "") + "'");
  }

  /** Checks that the nodes accept the admin's token, and says where the tokens are and how to use them. */
  private int tokens(LocalCluster cluster, SecureUp secured, int leader) throws IOException {
    Path adminToken = TlsInit.tokenFile(where.runDir, TlsInit.ADMIN_CLIENT);
    System.out.println("TLS material in " + secured.tls().dir() + "; the nodes' settings in " + secured.settingsFile());
    if (!Files.isRegularFile(adminToken)) {
      System.out.println("The admin token is not in " + adminToken + " (tokens.conf keeps only hashes): mint one with"
          + " 'raftkv certs token NAME --role admin' and restart the nodes");
      return ExitCodes.OK;
    }
    Optional<Integer> status = cluster.statusWithToken(leader, "/v1/cluster", Files.readString(adminToken).strip());
    if (status.isEmpty() || status.get() != 200) {
      System.err.println("raftkv up --secure: node " + leader + " answers " + status.map(String::valueOf).orElse("nothing")
          + " to the admin token of " + adminToken + ": it does not belong to " + secured.tls().tokens() + "?");
      return ExitCodes.DENIED;
    }
    System.out.println("API tokens: " + adminToken + " (admin), " + TlsInit.tokenFile(where.runDir, "writer") + " (read-write), "
        + TlsInit.tokenFile(where.runDir, "reader") + " (read-only). For the commands of this shell:");
    System.out.println("  export " + ClientOptions.TOKEN_ENV + "=$(cat " + adminToken + ")");
    return ExitCodes.OK;
  }
}
