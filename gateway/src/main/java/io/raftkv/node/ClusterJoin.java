package io.raftkv.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftkv.persistence.raftlog.Member;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * How a node that is not in the bootstrap file joins a running cluster through any member's HTTP
 * address: it reads the members ({@code GET /v1/members}) to know where they run, starts with them
 * as its peers and Pekko seed nodes (with no voters of its own: it never campaigns until the
 * leader's log makes it a member), then asks to be added as a learner ({@code POST /v1/members}),
 * retrying while no leader answers. The leader promotes it once it has caught up.
 *
 * <p>A secure cluster is asked over HTTPS, trusting the cluster CA only, with an
 * API token: adding a member needs the admin role.
 */
public final class ClusterJoin {
  /** Attempts to be added, one a second at most, before giving up. */
  static final int ADD_ATTEMPTS_MAX = 30;
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** A member as {@code GET /v1/members} lists it. */
  public record Known(int id, String host, int arteryPort, int httpPort, String role) {}

  /** The cluster as {@code GET /v1/members} shows it: its id (0 while it has none committed) and its members. */
  public record Cluster(long clusterId, List<Known> members) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI target;
  private final HttpClient http;
  /** The {@code Authorization} header's value, or empty when the cluster asks for none. */
  private final Optional<String> authorization;

  /** Joins over plain HTTP without a token: a cluster without TLS or authentication. */
  public ClusterJoin(String target) {
    this(target, Optional.empty(), Optional.empty());
  }

  /**
   * @param target a member's HTTP address, {@code host:port}
   * @param tls the context trusting the cluster CA when the cluster serves HTTPS
   * @param token the API token (an admin's) when the cluster asks for one
   */
  public ClusterJoin(String target, Optional<SSLContext> tls, Optional<String> token) {
    if (!target.matches("[^:/\\s]+:[0-9]{1,5}")) throw new IllegalArgumentException("--join: expected HOST:HTTP_PORT of a member, was '" + target + "'");
    this.target = URI.create((tls.isPresent() ? "https://" : "http://") + target);
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT);
    tls.ifPresent(context -> b.sslContext(context).sslParameters(tls13()));
    this.http = b.build();
    this.authorization = token.map(t -> "Bearer " + t);
  }

  private static SSLParameters tls13() {
    SSLParameters p = new SSLParameters();
    p.setProtocols(io.raftkv.security.TlsContexts.PROTOCOLS.toArray(String[]::new));
    return p;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(path)).timeout(REQUEST_TIMEOUT);
    authorization.ifPresent(a -> b.header("Authorization", a));
    return b;
  }

  /** The cluster's id and the members the target knows, with their addresses. */
  public Cluster cluster() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request("/v1/members").GET().build(), HttpResponse.BodyHandlers.ofString());
    refuseIfDenied(r);
    if (r.statusCode() != 200) throw new IOException("GET " + target + "/v1/members answered HTTP " + r.statusCode() + ": " + r.body());
    List<Known> out = new ArrayList<>();
    JsonNode body = JSON.readTree(r.body());
    for (JsonNode m : body.path("members")) {
      out.add(new Known(m.path("id").asInt(), m.path("host").asText(), m.path("arteryPort").asInt(), m.path("httpPort").asInt(),
          m.path("role").asText()));
    }
    if (out.isEmpty()) throw new IOException(target + "/v1/members lists no member");
    String clusterId = body.path("clusterId").asText("0");
    try {
      return new Cluster(Long.parseUnsignedLong(clusterId, 16), out);
    } catch (NumberFormatException e) {
      throw new IOException(target + "/v1/members: clusterId '" + clusterId + "' is not an id of hex digits");
    }
  }

  /**
   * The cluster layout a joining node starts from: the members it was told of (their data
   * directories are theirs, not used here) and itself, {@code self}, with the addresses it listens on.
   */
  public static Config layout(List<Known> members, ClusterLayout.Member self) {
    StringBuilder nodes = new StringBuilder("raftkv.cluster.nodes = [\n");
    for (Known k : members) {
      if (k.id() == self.id()) continue;
      nodes.append(String.format("  {id = %d, host = %s, artery-port = %d, http-port = %d, data-dir = \"member-%d\"}%n", k.id(), quoted(k.host()),
          k.arteryPort(), k.httpPort(), k.id()));
    }
    nodes.append(String.format("  {id = %d, host = %s, artery-port = %d, http-port = %d, data-dir = %s, bind-host = %s, http-host = %s,"
        + " http-bind-host = %s}%n]%n", self.id(), quoted(self.host()), self.arteryPort(), self.httpPort(), quoted(self.dataDir()),
        quoted(self.bindHost()), quoted(self.httpHost()), quoted(self.httpBindHost())));
    return ConfigFactory.parseString(nodes.toString());
  }

  private static String quoted(String s) {
    return com.typesafe.config.ConfigUtil.quoteString(s);
  }

  /**
   * Refuses a data directory that belongs to another cluster than the target's: it would bring
   * another cluster's log into this one.
   */
  public void checkSameCluster(Cluster cluster, NodeIdentity identity) {
    if (identity.clusterId() != 0 && cluster.clusterId() != 0 && identity.clusterId() != cluster.clusterId()) {
      throw new IllegalArgumentException("data directory " + identity.dataDir() + " belongs to cluster " + Member.hex(identity.clusterId())
          + ", and the cluster at " + target.getAuthority() + " is " + Member.hex(cluster.clusterId())
          + ": start the node with an empty data directory to join it");
    }
  }

  /**
   * Asks the target to add this node as a learner (to be promoted unless {@code stayLearner}).
   * Returns once it is a member; throws with the leader's reason when refused, or when no leader
   * answered after {@link #ADD_ATTEMPTS_MAX} attempts.
   */
  public void add(int id, String host, int arteryPort, int httpPort, NodeIdentity identity, boolean stayLearner, Consumer<String> progress)
      throws IOException, InterruptedException {
    String body = JSON.createObjectNode().put("id", id).put("host", host).put("arteryPort", arteryPort).put("httpPort", httpPort)
        .put("incarnation", Member.hex(identity.incarnation())).put("clusterId", Member.hex(identity.clusterId()))
        .put("learner", stayLearner).toString();
    String last = "";
    for (int attempt = 1; attempt <= ADD_ATTEMPTS_MAX; attempt++) {
      HttpResponse<String> r;
      try {
        r = http.send(request("/v1/members")
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        last = e.toString();
        progress.accept("asking " + target + " to add node " + id + ": " + last + "; retrying");
        Thread.sleep(1_000); // a retry interval, not a synchronization: the target is down or busy
        continue;
      }
      if (r.statusCode() == 200) return;
      refuseIfDenied(r);
      String detail = detail(r.body());
      if (r.statusCode() == 409 && detail.contains("is a member already")) return; // added by an earlier start
      if (r.statusCode() != 503) throw new IOException("the cluster refused to add node " + id + ": " + detail);
      last = detail;
      progress.accept("asking " + target + " to add node " + id + ": " + detail + "; retrying");
      Thread.sleep(1_000);
    }
    throw new IOException("no leader added node " + id + " after " + ADD_ATTEMPTS_MAX + " attempts: " + last);
  }

  /** A 401 or 403 will not pass on a retry: said at once, with what to give instead. */
  private void refuseIfDenied(HttpResponse<String> r) throws IOException {
    if (r.statusCode() != 401 && r.statusCode() != 403) return;
    throw new IOException(target + " refused the " + (authorization.isPresent() ? "token" : "request without a token") + " (" + r.statusCode()
        + "): " + detail(r.body()) + "; adding a member needs an admin's API token (raftkv node --token, or $RAFTKV_TOKEN)");
  }

  private static String detail(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      return json.has("detail") ? json.get("detail").asText() : body;
    } catch (IOException e) {
      return body;
    }
  }
}
