package io.raftkv.profiling.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A cluster file for a test's own nodes: 127.0.0.1, ports that are free now, data under the test's folder. */
final class TestClusterFile {
  private TestClusterFile() {}

  static Path write(Path dir, int nodes) throws IOException {
    return write(dir, nodes, 0);
  }

  /** The same, with ports that are free {@code offset} higher too (where a run moves a second cluster). */
  static Path write(Path dir, int nodes, int offset) throws IOException {
    List<Integer> ports = freePorts(2 * nodes, offset);
    StringBuilder s = new StringBuilder("raftkv.cluster {\n  system-name = \"raftkv\"\n  nodes = [\n");
    for (int i = 1; i <= nodes; i++) {
      s.append("    { id = ").append(i).append(", host = \"127.0.0.1\", artery-port = ").append(ports.get(2 * i - 2))
          .append(", http-port = ").append(ports.get(2 * i - 1)).append(", data-dir = \"").append(dir.resolve("data-" + i)).append("\" }\n");
    }
    return Files.writeString(dir.resolve("cluster.conf"), s.append("  ]\n}\n").toString());
  }

  /** Test nodes' ports are drawn from here: below the ephemeral range, which outgoing connections use. */
  private static final int PORTS_FROM = 20_000;
  private static final int PORTS_TO = 32_000;

  /** Ports free now on 127.0.0.1, each also {@code offset} higher when that is not 0 (held together so that they differ). */
  private static List<Integer> freePorts(int count, int offset) throws IOException {
    // Below the kernel's ephemeral range (32768-60999 by default): a port from it could be taken by any
    // process's outgoing connection (a node dialling a peer, a load generator) between this check and
    // the node binding it.
    List<ServerSocket> held = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    java.util.Random random = new java.util.Random();
    try {
      for (int tries = 0; ports.size() < count; tries++) {
        if (tries >= 10_000) throw new IOException("no " + count + " free loopback ports in [" + PORTS_FROM + ", " + PORTS_TO + ")");
        int port = PORTS_FROM + random.nextInt(PORTS_TO - PORTS_FROM - offset);
        ServerSocket first = null;
        try {
          first = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
          if (offset != 0) held.add(new ServerSocket(port + offset, 1, InetAddress.getLoopbackAddress()));
          held.add(first);
          ports.add(port);
        } catch (IOException inUse) {
          if (first != null) first.close(); // taken, here or at the offset: try another
        }
      }
      return ports;
    } finally {
      for (ServerSocket s : held) s.close();
    }
  }
}
