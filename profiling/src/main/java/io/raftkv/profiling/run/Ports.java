package io.raftkv.profiling.run;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checking a port before a run starts a server on it, so a clash is reported as such, not as a node that died. */
public final class Ports {
  private Ports() {}

  /** Throws, naming {@code what} and {@code hint}, unless {@code host:port} can be bound now. */
  public static void requireFree(String host, int port, String what, String hint) throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IOException(what + " " + host + ":" + port + " is in use: " + hint);
    }
  }
}
