package io.raftkv.profiling.bench;

import io.raftkv.profiling.run.ProfiledCluster;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A fresh 3-node raftkv cluster (the run's own data directories, durable writes on) reached through
 * its HTTP API; a secure one ({@link #SECURE}) over HTTPS with the admin's API token on every request.
 */
public final class RaftkvTarget implements BenchTarget {
  /** The name of a cluster with TLS between its nodes, HTTPS and API tokens. */
  public static final String SECURE = "raftkv-secure";
  private final ProfiledCluster cluster;
  private final Map<String, String> credentialHeaders; // Authorization, on a secure cluster

  public RaftkvTarget(ProfiledCluster cluster) {
    this.cluster = cluster;
    this.credentialHeaders = cluster.credentials().map(c -> Map.of("Authorization", c.authorization())).orElse(Map.of());
  }

  @Override
  public String name() {
    return cluster.credentials().isPresent() ? SECURE : "raftkv";
  }

  @Override
  public java.util.Optional<javax.net.ssl.SSLContext> sslContext() {
    return cluster.credentials().map(io.raftkv.profiling.run.ClusterCredentials::sslContext);
  }

  @Override
  public URI leaderUrl() throws IOException {
    int leader = cluster.leader().orElseThrow(() -> new IOException("the raftkv nodes name no common leader"));
    return cluster.nodes().stream().filter(n -> n.id() == leader).map(n -> URI.create(n.httpUrl())).findFirst()
        .orElseThrow(() -> new IOException("the leader, node " + leader + ", is not one of this cluster's nodes"));
  }

  @Override
  public List<NodeProcess> nodes() {
    return cluster.nodes().stream().map(n -> new NodeProcess("node-" + n.id(), n.pid())).toList();
  }

  @Override
  public String encodeKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public RequestTemplate put(String value) {
    Map<String, String> headers = new java.util.HashMap<>(credentialHeaders);
    headers.put("Content-Type", "application/octet-stream");
    return new RequestTemplate("PUT", "/v1/kv/" + RequestTemplate.KEY, headers, value);
  }

  /** Reads are linearizable unless {@code ?consistency=serializable} is asked for. */
  @Override
  public RequestTemplate get() {
    return new RequestTemplate("GET", "/v1/kv/" + RequestTemplate.KEY, credentialHeaders, "");
  }

  @Override
  public void close() throws IOException {
    cluster.close();
  }
}
