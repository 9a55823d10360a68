package io.raftkv.security;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate the cluster CA issued, with its private key. {@code chain} is the certificate
 * followed by the CA's: what a node presents in a handshake, so a peer that holds the CA can check
 * it in one step.
 */
public record IssuedCertificate(PrivateKey privateKey, List<X509Certificate> chain) {
  public IssuedCertificate {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) throw new IllegalArgumentException("an issued certificate needs its certificate");
  }

  /** The issued certificate itself, the chain's first. */
  public X509Certificate certificate() {
    return chain.get(0);
  }
}
