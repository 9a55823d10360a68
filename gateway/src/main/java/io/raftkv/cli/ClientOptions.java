package io.raftkv.cli;

import io.raftkv.client.ClusterFile;
import io.raftkv.client.RaftkvClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the cluster is and how long to wait for it: the options every client command shares. */
final class ClientOptions {
  static final Path DEFAULT_CLUSTER_FILE = Path.of("conf", "cluster.conf");

  @Option(names = {"-f", "--cluster-file"}, paramLabel = "FILE",
      description = "the cluster file listing the nodes (default: conf/cluster.conf)")
  Path clusterFile;

  @Option(names = "--nodes", paramLabel = "URL", split = ",",
      description = "the nodes' base URLs instead of a cluster file, e.g. http://127.0.0.1:8081,http://127.0.0.1:8082")
  List<String> nodes;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "give up after this long, retries included: 500ms, 10s, 2m (default: ${DEFAULT-VALUE})")
  Duration timeout;

  /**
   * The nodes named by {@code --nodes} or the cluster file.
   *
   * @throws IllegalArgumentException for both options at once, a bad URL or a bad cluster file
   */
  List<URI> nodeUrls() {
    if (nodes != null && clusterFile != null) {
      throw new IllegalArgumentException("give -f/--cluster-file or --nodes, not both");
    }
    if (nodes != null) {
      return nodes.stream().map(RaftkvClient::nodeUrl).toList();
    }
    return ClusterFile.nodes(clusterFile != null ? clusterFile : DEFAULT_CLUSTER_FILE);
  }

  /** A client builder for these nodes with this deadline. */
  RaftkvClient.Builder builder() {
    return RaftkvClient.builder(nodeUrls()).timeout(timeout);
  }
}
