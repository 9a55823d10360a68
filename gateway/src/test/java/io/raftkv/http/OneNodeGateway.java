package io.raftkv.http;

import com.typesafe.config.ConfigFactory;
import io.raftkv.node.ClusterLayout;
import io.raftkv.node.NodeConfig;
import io.raftkv.node.RaftkvNode;
import io.raftkv.security.TlsContexts;
import io.raftkv.security.TlsFiles;
import io.raftkv.security.TlsInit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * A real one-node cluster serving the HTTP API on 127.0.0.1, for tests; started once it knows a
 * leader. {@link #startSecure} starts it with TLS and authentication on, its material made by
 * {@code certs init} in the test's directory: HTTPS, and the tokens admin, writer and reader.
 */
public final class OneNodeGateway implements AutoCloseable {
  final RaftkvNode node;
  public final int port;
  /** The client side of HTTPS (trusting the node's CA only), when the node serves it. */
  final Optional<SSLContext> tls;
  /** The tokens by name ({@link TlsInit#TOKENS}), when authentication is on. */
  private final Map<String, String> tokens;
  private final HttpClient http;

  private OneNodeGateway(RaftkvNode node, int port, Optional<SSLContext> tls, Map<String, String> tokens) {
    this.node = node;
    this.port = port;
    this.tls = tls;
    this.tokens = tokens;
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    tls.ifPresent(client::sslContext);
    this.http = client.build();
  }

  /** Starts node 1 with its data in {@code dir} and {@code settings} (HOCON, overriding the defaults and the layout's). */
  public static OneNodeGateway start(Path dir, String settings) throws Exception {
    return start(dir, settings, false);
  }

  /** {@link #start}, with raftkv.tls and raftkv.auth on: the material, tokens and session key written under {@code dir} first. */
  static OneNodeGateway startSecure(Path dir, String settings) throws Exception {
    return start(dir, settings, true);
  }

  private static OneNodeGateway start(Path dir, String settings, boolean secure) throws Exception {
    int port = freePort();
    String layout = "raftkv.cluster.nodes = [ { id = 1, host = \"127.0.0.1\", artery-port = " + freePort() + ", http-port = " + port
        + ", data-dir = \"n1\" } ]\npekko.loglevel = WARNING\n";
    Optional<SSLContext> tls = Optional.empty();
    Map<String, String> tokens = Map.of();
    if (secure) {
      TlsFiles files = new TlsFiles(dir.resolve("tls"));
      Path run = dir.resolve("run");
      new TlsInit(files, run, false, line -> { }).run(ClusterLayout.from(ConfigFactory.parseString(layout)));
      tls = Optional.of(TlsContexts.forClient(files.caCertificate(), Optional.empty(), Optional.empty()));
      tokens = new java.util.HashMap<>();
      for (String name : TlsInit.TOKENS.keySet()) tokens.put(name, Files.readString(TlsInit.tokenFile(run, name)).strip());
      layout += "raftkv.tls { enabled = on, dir = \"" + files.dir() + "\" }\n"
          + "raftkv.auth { enabled = on, tokens-file = \"" + files.tokens() + "\" }\n";
    }
    RaftkvNode node = RaftkvNode.start(NodeConfig.of(1, ConfigFactory.parseString(layout + settings), dir));
    new HttpGateway(node).bind().toCompletableFuture().join();
    OneNodeGateway started = new OneNodeGateway(node, port, tls, Map.copyOf(tokens));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (started.call("GET", "/health", null).statusCode() != 200) {
      if (System.nanoTime() > deadline) {
        node.stop();
        throw new AssertionError("the node never knew a leader");
      }
      LockSupport.parkNanos(20_000_000); // poll the condition every 20 ms until the deadline
    }
    return started;
  }

  String base() {
    return (tls.isPresent() ? "https" : "http") + "://127.0.0.1:" + port;
  }

  /** The token named {@code name} (admin, writer, reader) of a node started by {@link #startSecure}. */
  String token(String name) {
    String token = tokens.get(name);
    if (token == null) throw new IllegalArgumentException("no token " + name + " (authentication on? " + !tokens.isEmpty() + ")");
    return token;
  }

  /** One request through {@code java.net.http}; {@code headers} are name, value, name, value, ... */
  public HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    node.stop();
  }
}
