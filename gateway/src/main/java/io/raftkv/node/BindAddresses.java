package io.raftkv.node;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This node's bind addresses ({@code bind-host}, {@code http-bind-host}), checked at start: each must
 * be an IP address or a name that resolves here, else Artery or the HTTP server would fail later with
 * a message that names neither key. Only this node's: another node's may resolve only on its host.
 */
final class BindAddresses {
  private BindAddresses() {}

  static void check(ClusterLayout.Member self) {
    String where = "raftkv.cluster.nodes (id " + self.id() + ") ";
    resolvable(where + "bind-host", self.bindHost());
    resolvable(where + "http-bind-host", self.httpBindHost());
  }

  private static void resolvable(String key, String host) {
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException | SecurityException e) {
      throw new IllegalArgumentException(key + ": '" + host + "' is neither an IP address nor a name this host resolves (" + e.getMessage()
          + "); give one of this host's addresses, or 0.0.0.0 for all of them");
    }
  }
}
