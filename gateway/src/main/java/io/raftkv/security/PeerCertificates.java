package io.raftkv.security;

import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificate each node last showed in a TLS handshake with this one, by the node id it names:
 * what a peer's proof of sender is checked against ({@link PeerProofs}). Filled by {@link PeerTls}
 * after TLS verified the certificate against the cluster CA; a node always connects (and so shows
 * its certificate) before its first message arrives, because Artery sends each node's messages over
 * a connection that node opened. Thread-safe: handshakes run on Artery's threads, checks on the
 * Raft node's.
 */
public final class PeerCertificates {
  private final Map<Integer, X509Certificate> byNode = new ConcurrentHashMap<>();

  void seen(int nodeId, X509Certificate certificate) {
    byNode.put(nodeId, certificate);
  }

  /** The certificate node {@code nodeId} last showed, if any. */
  public Optional<X509Certificate> of(int nodeId) {
    return Optional.ofNullable(byNode.get(nodeId));
  }
}
