package io.raftkv.cli;

import com.typesafe.config.Config;
import io.raftkv.client.ClusterFile;
import io.raftkv.client.RaftkvClient;
import io.raftkv.security.TlsFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * Where the cluster is, how long to wait for it, and the credentials of a secure one: the options
 * every client command shares.
 *
 * <p>The scheme comes from where the nodes are named: an https URL of {@code --nodes}; or the
 * cluster file, whose nodes are https when it sets {@code raftkv.tls.enabled = on} (the key the
 * nodes read), or when {@code raftkv up --secure} started them from that cluster file (it records
 * so in {@code run/secure.conf}, {@link LocalCluster#SECURE_SETTINGS}).
 */
final class ClientOptions {
  static final Path DEFAULT_CLUSTER_FILE = Path.of("conf", "cluster.conf");
  /** The environment variable holding the API token when {@code --token} is not given. */
  static final String TOKEN_ENV = "RAFTKV_TOKEN";

  @Option(names = {"-f", "--cluster-file"}, paramLabel = "FILE",
      description = "the cluster file listing the nodes (default: conf/cluster.conf); its nodes are https when it sets raftkv.tls.enabled = on"
          + " or 'raftkv up --secure' started them")
  Path clusterFile;

  @Option(names = "--nodes", paramLabel = "URL", split = ",",
      description = "the nodes' base URLs instead of a cluster file, e.g. http://127.0.0.1:8081,http://127.0.0.1:8082 (https for a secure cluster)")
  List<String> nodes;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "give up after this long, retries included: 500ms, 10s, 2m (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "the API token for a cluster with authentication (default: $" + TOKEN_ENV + "; the variable keeps it out of 'ps')")
  String token;

  @Option(names = "--cacert", paramLabel = "FILE",
      description = "the CA to trust for https nodes (default: the cluster's ca.pem, conf/tls/ca.pem, when it exists and the cluster is"
          + " secure; else the JVM's trust store)")
  Path caCertificate;

  /** Where {@code raftkv up} keeps its files: where it records that it started the cluster secure. */
  Path runDir = LocalCluster.DEFAULT_RUN_DIR;
  /** The environment (tests give their own). */
  UnaryOperator<String> environment = System::getenv;

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
    Path file = clusterFile();
    return ClusterFile.nodes(file, LocalCluster.secureSettings(runDir, file).isPresent());
  }

  private Path clusterFile() {
    return clusterFile != null ? clusterFile : DEFAULT_CLUSTER_FILE;
  }

  /** The API token: {@code --token}, else {@value #TOKEN_ENV} when set and not blank. */
  Optional<String> token() {
    return token(token, environment);
  }

  /** {@code given} (a {@code --token}), else {@value #TOKEN_ENV} of {@code environment} when set and not blank. */
  static Optional<String> token(String given, UnaryOperator<String> environment) {
    if (given != null) return Optional.of(given);
    return Optional.ofNullable(environment.apply(TOKEN_ENV)).map(String::strip).filter(t -> !t.isEmpty());
  }

  /**
   * The CA to trust: {@code --cacert}; else, for https nodes, the {@code ca.pem} of the TLS directory
   * {@code up --secure} used, or {@code conf/tls/ca.pem}, when it exists; else none (the JVM's trust store).
   */
  Optional<Path> caCertificate(List<URI> urls) {
    if (caCertificate != null) return Optional.of(caCertificate);
    if (urls.stream().noneMatch(u -> "https".equalsIgnoreCase(u.getScheme()))) return Optional.empty();
    Optional<Path> recorded = nodes != null ? Optional.empty()
        : LocalCluster.secureSettings(runDir, clusterFile()).map(LocalCluster::tlsFiles).map(TlsFiles::caCertificate);
    return recorded.or(() -> Optional.of(new TlsFiles(TlsFiles.DEFAULT_DIR).caCertificate())).filter(Files::isRegularFile);
  }

  /** A client builder for these nodes with this deadline and these credentials. */
  RaftkvClient.Builder builder() {
    List<URI> urls = nodeUrls();
    RaftkvClient.Builder builder = RaftkvClient.builder(urls).timeout(timeout);
    token().ifPresent(builder::token);
    caCertificate(urls).ifPresent(builder::caCertificate);
    return builder;
  }
}
