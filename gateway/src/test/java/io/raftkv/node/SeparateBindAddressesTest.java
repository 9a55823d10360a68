package io.raftkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import io.raftkv.client.RaftkvClient;
import io.raftkv.http.HttpGateway;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real nodes in this JVM whose listeners are not where their host says: node 1 serves HTTP on
 * its http-host 127.0.0.2 while its Artery is on 127.0.0.1 (Linux routes all of 127/8 to lo), node 2's
 * Artery listens on 0.0.0.0 (bind-host) while peers dial it at 127.0.0.1. A write through node 1's
 * HTTP commits on both voters (so Artery works both ways), node 1's HTTP is not on 127.0.0.1, and
 * {@code /v1/cluster} shows node 1 at its http-host.
 */
@Timeout(120)
class SeparateBindAddressesTest {
  @TempDir Path dir;
  private final List<RaftkvNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(RaftkvNode::stop);
  }

  @Test
  void httpListensOnItsHttpHostAndArteryOnItsBindHost() throws Exception {
    assumeTrue(canBind("127.0.0.2"), "127.0.0.2 cannot be bound here (not Linux's 127/8 on lo)");
    int artery1 = InProcessNodes.freePort();
    int http1 = InProcessNodes.freePort();
    int artery2 = InProcessNodes.freePort();
    int http2 = InProcessNodes.freePort();
    String layout = "raftkv.cluster.nodes = [\n"
        + "  { id = 1, host = \"127.0.0.1\", http-host = \"127.0.0.2\", artery-port = " + artery1 + ", http-port = " + http1 + ", data-dir = n1 }\n"
        + "  { id = 2, host = \"127.0.0.1\", bind-host = \"0.0.0.0\", artery-port = " + artery2 + ", http-port = " + http2 + ", data-dir = n2 }\n"
        + "]\npekko.loglevel = WARNING\n";
    start(1, layout);
    NodeConfig second = NodeConfig.of(2, ConfigFactory.parseString("raftkv.insecure = on\n" + layout), dir); // 0.0.0.0 is not loopback
    assertEquals("0.0.0.0", second.system().getString("pekko.remote.artery.bind.hostname"));
    assertEquals("127.0.0.1", second.system().getString("pekko.remote.artery.canonical.hostname"));
    start(second);

    RaftkvClient viaOne = RaftkvClient.builder(List.of(URI.create("http://127.0.0.2:" + http1))).timeout(Duration.ofSeconds(60)).build();
    viaOne.put("k", "v".getBytes(StandardCharsets.UTF_8)); // commits only with both voters
    RaftkvClient viaTwo = RaftkvClient.builder(List.of(URI.create("http://127.0.0.1:" + http2))).timeout(Duration.ofSeconds(20)).build();
    assertEquals("v", new String(viaTwo.get("k").orElseThrow(), StandardCharsets.UTF_8));

    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", http1).close(), "node 1's HTTP listens on 127.0.0.2 only");
    HttpResponse<String> cluster = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http2 + "/v1/cluster")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, cluster.statusCode(), cluster.body());
    assertTrue(cluster.body().contains("\"http://127.0.0.2:" + http1 + "\""), cluster.body());
  }

  private void start(int id, String config) {
    start(NodeConfig.of(id, ConfigFactory.parseString(config), dir));
  }

  private void start(NodeConfig config) {
    RaftkvNode node = RaftkvNode.start(config);
    nodes.add(node);
    new HttpGateway(node).bind().toCompletableFuture().join();
  }

  private static boolean canBind(String address) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
