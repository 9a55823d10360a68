package io.raftkv.node;

import com.typesafe.config.Config;
import io.raftkv.security.AuthSettings;
import io.raftkv.security.TlsSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A node listens beyond its own machine only when it is safe there: with TLS (the connections
 * between nodes, and HTTPS) and authentication (API tokens) both on, or when told that the network
 * is trusted ({@value #INSECURE} = on). Otherwise an address it listens on that is not a loopback
 * one is refused at start, naming the key and the settings: its {@code bind-host} (where Artery
 * listens, default its {@code host}), its {@code http-bind-host} (where the HTTP API listens, default
 * its {@code http-host}, itself default {@code host}), or an Artery bind address set by hand. The
 * wildcard 0.0.0.0 is not loopback: it listens on every interface.
 */
final class Exposure {
  static final String INSECURE = "raftkv.insecure";
  private static final String ARTERY_BIND = "pekko.remote.artery.bind.hostname";

  private Exposure() {}

  static void check(Config merged, ClusterLayout.Member self, TlsSettings tls, AuthSettings auth) {
    if ((tls.enabled() && auth.enabled()) || merged.getBoolean(INSECURE)) return;
    String where = "raftkv.cluster.nodes (id " + self.id() + ") ";
    refuseUnlessLoopback(where + (self.bindHost().equals(self.host()) ? "host" : "bind-host"), self.bindHost(), tls, auth);
    refuseUnlessLoopback(where + (self.httpBindHost().equals(self.host()) ? "host" : "http-bind-host"), self.httpBindHost(), tls, auth);
    if (merged.hasPath(ARTERY_BIND) && !merged.getString(ARTERY_BIND).isBlank()) {
      refuseUnlessLoopback(ARTERY_BIND, merged.getString(ARTERY_BIND), tls, auth);
    }
  }

  private static void refuseUnlessLoopback(String where, String host, TlsSettings tls, AuthSettings auth) {
    if (loopback(host)) return;
    throw new IllegalArgumentException(where + " " + host + " is not a loopback address, and " + TlsSettings.KEY + ".enabled = "
        + onOff(tls.enabled()) + ", " + AuthSettings.KEY + ".enabled = " + onOff(auth.enabled()) + ": anyone who reaches it could read and"
        + " write every key, change the members, or pass for a node. Turn both on (docs/SECURITY.md), or set " + INSECURE
        + " = on to run so on a network you trust");
  }

  /** Whether every address {@code host} names is a loopback one; a host that does not resolve is not. */
  static boolean loopback(String host) {
    try {
      InetAddress[] addresses = InetAddress.getAllByName(host);
      return addresses.length > 0 && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }
}
