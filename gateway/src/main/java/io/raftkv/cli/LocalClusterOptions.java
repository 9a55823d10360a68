package io.raftkv.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options that name a local cluster, shared by {@code up} and {@code down}. */
final class LocalClusterOptions {
  @Option(names = {"-f", "--cluster-file"}, defaultValue = "conf/cluster.conf", description = "the cluster layout (default: ${DEFAULT-VALUE})")
  Path clusterFile;

  @Option(names = "--run-dir", defaultValue = "run", description = "pid and log files (default: ${DEFAULT-VALUE})")
  Path runDir;

  /** The cluster, or empty after printing why it cannot be read (bad usage). */
  Optional<LocalCluster> open(String command, Path configFile) {
    try {
      return Optional.of(new LocalCluster(clusterFile, configFile, runDir));
    } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
      System.err.println("raftkv " + command + ": " + e.getMessage());
      return Optional.empty();
    }
  }
}
