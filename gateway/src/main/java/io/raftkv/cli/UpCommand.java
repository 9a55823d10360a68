package io.raftkv.cli;

import io.raftkv.node.ClusterLayout;
import java.nio.file.Path;
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
      "cannot); RAFTKV_NODE_JAVA_OPTS replaces the nodes' JVM options."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the cluster is up with a leader", "2:bad usage or configuration (a node refused to start)",
        "4:no leader within --timeout, or a node stopped itself (which and why is printed)"})
final class UpCommand implements Callable<Integer> {
  @Mixin LocalClusterOptions where;

  @Option(names = {"-c", "--config"}, defaultValue = "conf/application.conf", description = "more settings (default: ${DEFAULT-VALUE})")
  Path configFile;

  @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class,
      description = "how long to wait for a leader (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    Optional<LocalCluster> opened = where.open("up", configFile);
    if (opened.isEmpty()) return ExitCodes.USAGE;
    LocalCluster cluster = opened.get();
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
        System.out.println("cluster up: leader is node " + leader.get());
        for (ClusterLayout.Member m : cluster.layout().members()) System.out.println("  node " + m.id() + "  " + m.httpUrl());
        return ExitCodes.OK;
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
}
