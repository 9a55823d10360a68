package io.raftkv.cli;

import io.raftkv.node.ClusterLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code raftkv down}: stops the local cluster that {@code up} started. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = "Stops the nodes started by 'raftkv up': SIGTERM for a clean shutdown, SIGKILL after --grace. Data stays.")
final class DownCommand implements Callable<Integer> {
  @Mixin LocalClusterOptions where;

  @Option(names = "--grace", defaultValue = "30s", converter = DurationConverter.class,
      description = "how long a node may take to stop cleanly (default: ${DEFAULT-VALUE})")
  Duration grace;

  @Override
  public Integer call() throws Exception {
    Optional<LocalCluster> opened = where.open("down", Path.of("conf/application.conf"));
    if (opened.isEmpty()) return ExitCodes.USAGE;
    LocalCluster cluster = opened.get();
    for (ClusterLayout.Member m : cluster.layout().members()) {
      System.out.println(cluster.stop(m.id(), grace) ? "node " + m.id() + " stopped" : "node " + m.id() + " was not running");
    }
    return ExitCodes.OK;
  }
}
