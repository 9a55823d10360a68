package io.raftkv.http;

import com.typesafe.config.ConfigFactory;
import io.raftkv.node.NodeConfig;
import io.raftkv.node.RaftkvNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** A real one-node cluster serving the HTTP API on 127.0.0.1, for tests; started once it knows a leader. */
final class OneNodeGateway implements AutoCloseable {
  final RaftkvNode node;
  final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private OneNodeGateway(RaftkvNode node, int port) {
    this.node = node;
    this.port = port;
  }

  /** Starts node 1 with its data in {@code dir} and {@code settings} (HOCON, overriding the defaults and the layout's). */
  static OneNodeGateway start(Path dir, String settings) throws Exception {
    int port = freePort();
    String layout = "raftkv.cluster.nodes = [ { id = 1, host = \"127.0.0.1\", artery-port = " + freePort() + ", http-port = " + port
        + ", data-dir = \"n1\" } ]\npekko.loglevel = WARNING\n";
    RaftkvNode node = RaftkvNode.start(NodeConfig.of(1, ConfigFactory.parseString(layout + settings), dir));
    new HttpGateway(node).bind().toCompletableFuture().join();
    OneNodeGateway started = new OneNodeGateway(node, port);
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
    return "http://127.0.0.1:" + port;
  }

  /** One request through {@code java.net.http}; {@code headers} are name, value, name, value, ... */
  HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
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
