package io.raftkv.cli;

import io.raftkv.node.ClusterLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftkv down}: stops the local cluster that {@code up} started. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = "Stops the nodes started by 'raftkv up': SIGTERM for a clean shutdown, SIGKILL after --grace. Data stays.")
final class DownCommand implements Callable<Integer> {
  @Option(names = {"-f", "--cluster-file"}, defaultValue = "conf/cluster.conf", description = "the cluster layout (default: ${DEFAULT-VALUE})")
  Path clusterFile;

  @Option(names = "--run-dir", defaultValue = "run", description = "pid and log files (default: ${DEFAULT-VALUE})")
  Path runDir;

  @Option(names = "--grace", defaultValue = "30s", converter = DurationConverter.class,
      description = "how long a node may take to stop cleanly (default: ${DEFAULT-VALUE})")
  Duration grace;

  @Override
  public Integer call() throws Exception {
    LocalCluster cluster;
    try {
      cluster = new LocalCluster(clusterFile, Path.of("conf/application.conf"), runDir);
    } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
      System.err.println("raftkv down: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    for (ClusterLayout.Member m : cluster.layout().members()) {
      System.out.println(cluster.stop(m.id(), grace) ? "node " + m.id() + " stopped" : "node " + m.id() + " was not running");
    }
    return ExitCodes.OK;
  }
}
