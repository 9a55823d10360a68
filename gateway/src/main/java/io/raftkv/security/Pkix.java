package io.raftkv.security;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PKIX path validation of a chain against the cluster CA alone: the check a TLS peer makes, done
 * ahead of time so that a certificate of the wrong CA, or an expired one, is named when the material
 * is loaded rather than found by a failed handshake.
 */
final class Pkix {
  private Pkix() {}

  /**
   * Throws with the validator's reason unless {@code chain} (leaf first) leads to one of
   * {@code anchors}. Revocation is not checked: the cluster CA publishes no revocation lists.
   */
  static void verify(List<X509Certificate> chain, Collection<X509Certificate> anchors) throws GeneralSecurityException {
    Set<TrustAnchor> trust = anchors.stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toSet());
    // the anchor itself is no link of the path to validate
    List<X509Certificate> path = chain.stream().filter(c -> !anchors.contains(c)).toList();
    if (path.isEmpty()) throw new GeneralSecurityException("the chain holds only the CA's own certificate");
    PKIXParameters parameters = new PKIXParameters(trust);
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
  }
}
