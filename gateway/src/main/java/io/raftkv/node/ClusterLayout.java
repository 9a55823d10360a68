package io.raftkv.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cluster as configured under {@code raftkv.cluster} (conf/cluster.conf): the voters, each with
 * its id, host, ports and data directory, and optionally the addresses it listens on when they are
 * not the ones others reach it at ({@code bind-host}, {@code http-host}, {@code http-bind-host}).
 * Validated when read: a layout that cannot work is refused with a message naming the setting.
 */
public record ClusterLayout(String systemName, List<Member> members) {
  static final String KEY = "raftkv.cluster";

  /**
   * One voter. {@code id} is its Raft identity; the rest is where it runs.
   *
   * @param host where the other nodes reach its Artery (Pekko's canonical address)
   * @param bindHost where its Artery listens (default {@code host}): an interface of its own, or 0.0.0.0
   * @param httpHost where clients reach its HTTP API (default {@code host}), shown in {@code /v1/cluster}
   * @param httpBindHost where its HTTP API listens (default {@code httpHost})
   */
  public record Member(int id, String host, int arteryPort, int httpPort, String dataDir, String bindHost, String httpHost, String httpBindHost) {
    /** A member that listens where it is reached, on one host for both. */
    public Member(int id, String host, int arteryPort, int httpPort, String dataDir) {
      this(id, host, arteryPort, httpPort, dataDir, host, host, host);
    }

    public String httpUrl() {
      return "http://" + httpHost + ":" + httpPort;
    }

    /** The hosts others reach it at, peers and clients: what its certificate must name. */
    public List<String> advertisedHosts() {
      return host.equals(httpHost) ? List.of(host) : List.of(host, httpHost);
    }

    /** The Pekko address of this member's ActorSystem. */
    public String pekkoAddress(String systemName) {
      return "pekko://" + systemName + "@" + host + ":" + arteryPort;
    }
  }

  public ClusterLayout {
    members = List.copyOf(members);
  }

  /** Reads and validates {@code raftkv.cluster} of {@code config}. */
  public static ClusterLayout from(Config config) {
    if (!config.hasPath(KEY + ".nodes")) throw new IllegalArgumentException(KEY + ".nodes: missing (the cluster's members)");
    String systemName = config.hasPath(KEY + ".system-name") ? config.getString(KEY + ".system-name") : "raftkv";
    if (!systemName.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
      throw new IllegalArgumentException(KEY + ".system-name: '" + systemName + "' is not a valid actor system name");
    }
    List<Member> members = new ArrayList<>();
    List<? extends Config> nodes = config.getConfigList(KEY + ".nodes");
    for (int i = 0; i < nodes.size(); i++) {
      Config n = nodes.get(i);
      String where = KEY + ".nodes[" + i + "]";
      try {
        String host = n.getString("host");
        String httpHost = optional(n, "http-host", host);
        members.add(new Member(n.getInt("id"), host, n.getInt("artery-port"), n.getInt("http-port"), n.getString("data-dir"),
            optional(n, "bind-host", host), httpHost, optional(n, "http-bind-host", httpHost)));
      } catch (ConfigException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    ClusterLayout layout = new ClusterLayout(systemName, members);
    layout.validate();
    return layout;
  }

  private static String optional(Config node, String key, String otherwise) {
    if (!node.hasPath(key)) return otherwise;
    String value = node.getString(key).strip();
    if (value.isEmpty()) throw new ConfigException.BadValue(node.origin(), key, "empty; leave it out to use " + otherwise);
    return value;
  }

  private void validate() {
    if (members.isEmpty()) throw new IllegalArgumentException(KEY + ".nodes: empty; a cluster needs at least one node");
    Map<Integer, Member> ids = new HashMap<>();
    Map<String, Integer> endpoints = new HashMap<>();
    Map<String, Integer> dirs = new HashMap<>();
    for (Member m : members) {
      String where = KEY + ".nodes (id " + m.id() + ")";
      if (m.id() < 1) throw new IllegalArgumentException(where + ": id must be >= 1");
      if (ids.putIfAbsent(m.id(), m) != null) throw new IllegalArgumentException(KEY + ".nodes: duplicate id " + m.id());
      port(where, "artery-port", m.arteryPort());
      port(where, "http-port", m.httpPort());
      for (String endpoint : List.of(m.host() + ":" + m.arteryPort(), m.httpHost() + ":" + m.httpPort())) {
        Integer other = endpoints.putIfAbsent(endpoint, m.id());
        if (other != null) {
          throw new IllegalArgumentException(where + ": port " + endpoint + " is used twice (by nodes " + other + " and " + m.id() + ")");
        }
      }
      Integer sameDir = dirs.putIfAbsent(m.host() + ":" + m.dataDir(), m.id());
      if (sameDir != null) {
        throw new IllegalArgumentException(where + ": data-dir " + m.dataDir() + " is also node " + sameDir + "'s; each node needs its own");
      }
    }
  }

  private static void port(String where, String key, int port) {
    if (port < 1 || port > 65535) throw new IllegalArgumentException(where + ": " + key + " " + port + " is not a TCP port (1-65535)");
  }

  /** The member with {@code id}, or a refusal naming the ids there are. */
  public Member member(int id) {
    return members.stream().filter(m -> m.id() == id).findFirst().orElseThrow(() -> new IllegalArgumentException(
        "node id " + id + " is not in " + KEY + ".nodes (ids: " + ids() + ")"));
  }

  /** The member whose Artery endpoint is {@code host:arteryPort}, or empty when none is. */
  public java.util.OptionalInt nodeAt(String host, int arteryPort) {
    return members.stream().filter(m -> m.host().equals(host) && m.arteryPort() == arteryPort).mapToInt(Member::id).findFirst();
  }

  public List<Integer> ids() {
    return members.stream().map(Member::id).sorted().collect(Collectors.toList());
  }
}
