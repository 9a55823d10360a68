package io.raftkv.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cluster CA and what it issues, checked with the JDK's own PKIX validator. */
class CertificateAuthorityTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final CertificateAuthority CA = CertificateAuthority.create("test CA");
  private static final CertificateAuthority OTHER_CA = CertificateAuthority.create("test CA"); // same name, other key

  /** Validates {@code chain} (leaf first) with {@code anchor} as the only trust anchor, as a TLS peer would. */
  static void validate(List<X509Certificate> chain, X509Certificate anchor) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, 1)), parameters);
  }

  @Test
  void issuedCertificatesChainToTheirCaAndToNoOther() throws Exception {
    IssuedCertificate node = CA.issueNode(1, "127.0.0.1");
    IssuedCertificate client = CA.issueClient("ops");
    validate(node.chain(), CA.certificate());
    validate(client.chain(), CA.certificate());
    assertThrows(CertPathValidatorException.class, () -> validate(node.chain(), OTHER_CA.certificate()));
    assertThrows(CertPathValidatorException.class, () -> validate(OTHER_CA.issueNode(1, "127.0.0.1").chain(), CA.certificate()));
    assertEquals(List.of(node.certificate(), CA.certificate()), node.chain(), "the leaf, then the CA");
  }

  @Test
  void theCaIsAnEcP256CaForTenYears() {
    X509Certificate ca = CA.certificate();
    assertEquals(0, ca.getBasicConstraints(), "a CA that issues leaves only");
    assertTrue(ca.getKeyUsage()[5], "keyCertSign");
    assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal(), "self-signed");
    assertEquals("SHA256withECDSA", ca.getSigAlgName());
    assertP256(ca);
    assertDays(ca, 3652, 3653);
  }

  @Test
  void aNodeCertificateNamesTheNodeAndItsHostForBothEnds() throws Exception {
    X509Certificate node = CA.issueNode(3, "10.1.2.3").certificate();
    assertEquals("CN=raftkv-node-3", node.getSubjectX500Principal().getName());
    assertEquals(List.of(List.of(6, "urn:raftkv:node:3"), List.of(7, "10.1.2.3")), List.copyOf(node.getSubjectAlternativeNames()));
    assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), node.getExtendedKeyUsage());
    assertEquals(-1, node.getBasicConstraints(), "not a CA");
    assertEquals("SHA256withECDSA", node.getSigAlgName());
    assertP256(node);
    assertDays(node, 825, 825);
  }

  @Test
  void aLoopbackHostAlsoGetsTheLocalNamesAndADnsHostStaysADnsName() throws Exception {
    assertEquals(List.of(List.of(6, "urn:raftkv:node:1"), List.of(2, "localhost"), List.of(7, "127.0.0.1")),
        List.copyOf(CA.issueNode(1, "localhost").certificate().getSubjectAlternativeNames()));
    assertTrue(CA.issueNode(1, "::1").certificate().getSubjectAlternativeNames().contains(List.of(2, "localhost")));
    assertEquals(List.of(List.of(6, "urn:raftkv:node:2"), List.of(2, "db2.example.org")),
        List.copyOf(CA.issueNode(2, "db2.example.org").certificate().getSubjectAlternativeNames()));
    assertThrows(IllegalArgumentException.class, () -> CA.issueNode(1, "300.1.2.3"));
  }

  /** A node whose clients reach it elsewhere than its peers do (http-host): its certificate names both, each once. */
  @Test
  void aNodeOfTwoHostsIsNamedForBoth() throws Exception {
    X509Certificate node = CA.issueNode(4, List.of("10.1.2.3", "api.example.org", "10.1.2.3")).certificate();
    assertEquals(List.of(List.of(6, "urn:raftkv:node:4"), List.of(7, "10.1.2.3"), List.of(2, "api.example.org")),
        List.copyOf(node.getSubjectAlternativeNames()));
    assertTrue(CertificateAuthority.namesHost(node, "api.example.org") && CertificateAuthority.namesHost(node, "10.1.2.3"));
  }

  @Test
  void aClientCertificateNamesTheClientForTheClientEndOnly() throws Exception {
    X509Certificate client = CA.issueClient("admin").certificate();
    assertEquals("CN=admin", client.getSubjectX500Principal().getName());
    assertEquals(List.of(List.of(6, "urn:raftkv:client:admin")), List.copyOf(client.getSubjectAlternativeNames()));
    assertEquals(List.of(CLIENT_AUTH), client.getExtendedKeyUsage());
    assertThrows(IllegalArgumentException.class, () -> CA.issueClient("two words"));
    assertThrows(IllegalArgumentException.class, () -> CA.issueNode(0, "127.0.0.1"));
  }

  @Test
  void serialNumbersAreRandom() {
    assertNotEquals(CA.issueNode(1, "127.0.0.1").certificate().getSerialNumber(), CA.issueNode(1, "127.0.0.1").certificate().getSerialNumber());
    assertTrue(CA.issueNode(1, "127.0.0.1").certificate().getSerialNumber().bitLength() > 64);
  }

  @Test
  void aCaIsRefusedWithAKeyNotItsOwnOrACertificateThatIsNoCa() {
    assertThrows(IllegalArgumentException.class, () -> new CertificateAuthority(CA.certificate(), OTHER_CA.privateKey()));
    IssuedCertificate leaf = CA.issueNode(1, "127.0.0.1");
    assertThrows(IllegalArgumentException.class, () -> new CertificateAuthority(leaf.certificate(), leaf.privateKey()));
    assertFalse(Keys.belongTogether(leaf.privateKey(), CA.certificate().getPublicKey()));
  }

  private static void assertP256(X509Certificate certificate) {
    ECPublicKey key = (ECPublicKey) certificate.getPublicKey();
    assertEquals(256, key.getParams().getCurve().getField().getFieldSize());
  }

  private static void assertDays(X509Certificate certificate, long atLeast, long atMost) {
    Instant from = certificate.getNotBefore().toInstant();
    long days = Duration.between(from, certificate.getNotAfter().toInstant()).toDays();
    assertTrue(days >= atLeast && days <= atMost, days + " days");
    assertTrue(from.isBefore(Instant.now()), "valid from a little before now, for peers whose clock is behind");
  }
}
