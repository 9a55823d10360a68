package io.raftkv.node;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/** Real nodes (one ActorSystem each, Artery on loopback) in the test's JVM, on free ports, with data under {@code dir}. */
public final class InProcessNodes implements AutoCloseable {
  private final Path dir;
  private final String layout;
  private final List<RaftkvNode> running = new ArrayList<>();

  public InProcessNodes(Path dir, int count) throws IOException {
    this(dir, count, "");
  }

  /** @param extraConfig more HOCON for every node */
  public InProcessNodes(Path dir, int count, String extraConfig) throws IOException {
    this.dir = dir;
    StringBuilder b = new StringBuilder("raftkv.cluster.nodes = [\n");
    for (int id = 1; id <= count; id++) {
      b.append("{ id = ").append(id).append(", host = \"127.0.0.1\", artery-port = ").append(freePort())
          .append(", http-port = ").append(freePort()).append(", data-dir = \"n").append(id).append("\" }\n");
    }
    this.layout = b.append("]\npekko.loglevel = WARNING\n").append(extraConfig).toString();
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public RaftkvNode start(int id) {
    return start(id, "");
  }

  /** Starts node {@code id} with more HOCON of its own ({@code extraConfig} wins over the shared settings). */
  public RaftkvNode start(int id, String extraConfig) {
    RaftkvNode node = RaftkvNode.start(NodeConfig.of(id, ConfigFactory.parseString(extraConfig).withFallback(ConfigFactory.parseString(layout)), dir));
    running.add(node);
    return node;
  }

  /** Stops one node cleanly. */
  public void stop(RaftkvNode node) {
    running.remove(node);
    node.stop();
  }

  /** Stops every node still running. */
  @Override
  public void close() {
    running.forEach(RaftkvNode::stop);
    running.clear();
  }

  public static void await(String what, BooleanSupplier condition, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // poll every 20 ms until the deadline
    }
  }

  /** Whether {@code node} is Up and sees at least {@code members} members Up. */
  public static boolean up(RaftkvNode node, int members) {
    Cluster c = Cluster.get(node.system());
    return c.selfMember().status() == MemberStatus.up()
        && StreamSupport.stream(c.state().getMembers().spliterator(), false).filter(m -> m.status() == MemberStatus.up()).count() >= members;
  }
}
