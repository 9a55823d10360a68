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
    List<Integer> ports = freePorts(2 * nodes);
    StringBuilder s = new StringBuilder("raftkv.cluster {\n  system-name = \"raftkv\"\n  nodes = [\n");
    for (int i = 1; i <= nodes; i++) {
      s.append("    { id = ").append(i).append(", host = \"127.0.0.1\", artery-port = ").append(ports.get(2 * i - 2))
          .append(", http-port = ").append(ports.get(2 * i - 1)).append(", data-dir = \"").append(dir.resolve("data-" + i)).append("\" }\n");
    }
    return Files.writeString(dir.resolve("cluster.conf"), s.append("  ]\n}\n").toString());
  }

  /** Ports free now on 127.0.0.1 (held together so that they differ). */
  private static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : held) s.close();
    }
  }
}
