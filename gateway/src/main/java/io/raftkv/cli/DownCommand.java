package io.raftkv.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code raftkv down}: stops the local cluster that {@code up} started. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {"Stops the nodes started by 'raftkv up', all at once: SIGTERM for a clean shutdown, SIGKILL after --grace. Data stays.",
        "After 'up --secure' it also removes <run-dir>/secure.conf; the TLS material and the tokens stay."})
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
    List<Integer> stopped = cluster.stop(cluster.layout().ids(), grace);
    for (int id : cluster.layout().ids()) System.out.println(stopped.contains(id) ? "node " + id + " stopped" : "node " + id + " was not running");
    // The settings of 'up --secure' are for nodes that run: none does now.
    if (LocalCluster.secureSettings(where.runDir, where.clusterFile).isPresent()) {
      java.nio.file.Files.deleteIfExists(where.runDir.resolve(LocalCluster.SECURE_SETTINGS));
    }
    return ExitCodes.OK;
  }
}
