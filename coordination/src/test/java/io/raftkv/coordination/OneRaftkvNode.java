package io.raftkv.coordination;

import com.typesafe.config.ConfigFactory;
import io.raftkv.client.RaftkvClient;
import io.raftkv.http.HttpGateway;
import io.raftkv.node.NodeConfig;
import io.raftkv.node.RaftkvNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real one-node raftkv cluster on 127.0.0.1 for the lease's tests, started once it answers a write. */
final class OneRaftkvNode implements AutoCloseable {
  final RaftkvNode node;
  final String url;

  private OneRaftkvNode(RaftkvNode node, String url) {
    this.node = node;
    this.url = url;
  }

  static OneRaftkvNode start(Path dir) throws IOException {
    int port = freePort();
    String layout = "raftkv.cluster.nodes = [ { id = 1, host = \"127.0.0.1\", artery-port = " + freePort() + ", http-port = " + port
        + ", data-dir = \"n1\" } ]\npekko.loglevel = WARNING\n";
    RaftkvNode node = RaftkvNode.start(NodeConfig.of(1, ConfigFactory.parseString(layout), dir));
    new HttpGateway(node).bind().toCompletableFuture().join();
    OneRaftkvNode started = new OneRaftkvNode(node, "http://127.0.0.1:" + port);
    started.client().put("ready", new byte[0]); // waits, within the client's deadline, until a leader answers
    return started;
  }

  RaftkvClient client() {
    return RaftkvClient.builder(List.of(URI.create(url))).timeout(Duration.ofSeconds(20)).build();
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
