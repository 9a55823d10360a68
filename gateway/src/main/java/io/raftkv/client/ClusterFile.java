package io.raftkv.client;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The HTTP base URLs of the nodes listed in a cluster file ({@code conf/cluster.conf}):
 * <pre>
 * raftkv.cluster.nodes = [
 *   { id = 1, host = "127.0.0.1", http-port = 8081, ... }
 * ]
 * raftkv.tls.enabled = on    # optional: the nodes serve HTTPS
 * </pre>
 * A node's optional {@code http-host} is used instead of {@code host} when present. The URLs are
 * https when the file turns TLS on ({@value #TLS} = on, the key the nodes read: a cluster file that
 * turns it on for them tells their clients too), else http. Other keys
 * are ignored, and substitutions the file cannot resolve by itself are left alone unless a node
 * entry needs them.
 */
public final class ClusterFile {
  static final String NODES = "raftkv.cluster.nodes";
  static final String TLS = "raftkv.tls.enabled";

  private ClusterFile() {}

  /**
   * The nodes' base URLs ({@code http://host:port}, or https when the file turns TLS on), by id.
   *
   * @throws IllegalArgumentException when the file is missing or malformed; the message names the
   *     file and the setting
   */
  public static List<URI> nodes(Path file) {
    return nodes(file, false);
  }

  /** {@link #nodes(Path)}, https also when {@code https} says so (the cluster is known to be secure from elsewhere). */
  public static List<URI> nodes(Path file, boolean https) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no cluster file " + file);
    }
    try {
      Config config = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
          .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
      if (!config.hasPathOrNull(NODES)) {
        throw new IllegalArgumentException("cluster file " + file + ": no setting " + NODES);
      }
      return nodes(config.getConfigList(NODES), file, https || (config.hasPath(TLS) && config.getBoolean(TLS)));
    } catch (ConfigException e) {
      // the message names the file and line already
      throw new IllegalArgumentException("bad cluster file: " + e.getMessage(), e);
    }
  }

  private static List<URI> nodes(List<? extends Config> entries, Path file, boolean https) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("cluster file " + file + ": " + NODES + " is empty");
    }
    record Node(int id, URI uri) {}
    List<Node> nodes = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (Config entry : entries) {
      int id = entry.getInt("id");
      String host = entry.hasPath("http-host") ? entry.getString("http-host") : entry.getString("host");
      int port = entry.getInt("http-port");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("cluster file " + file + ": node " + id + " has http-port " + port
            + ", not in 1..65535");
      }
      if (!ids.add(id)) {
        throw new IllegalArgumentException("cluster file " + file + ": node id " + id + " is listed twice");
      }
      String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host; // IPv6 literal
      try {
        nodes.add(new Node(id, RaftkvClient.baseUrl(URI.create((https ? "https://" : "http://") + h + ":" + port))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cluster file " + file + ": node " + id + " has a bad host: " + host, e);
      }
    }
    nodes.sort(Comparator.comparingInt(Node::id));
    return nodes.stream().map(Node::uri).toList();
  }
}
