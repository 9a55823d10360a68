package io.raftkv.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who a certificate speaks for: exactly one raftkv URI, spelled as the CA writes it, or no one. */
class CertificateIdentityTest {
  private static final CertificateAuthority CA = CertificateAuthority.create("test CA");

  /** A certificate of the CA whose alternative names are these URIs, and a DNS name besides. */
  private static X509Certificate withUris(String... uris) {
    GeneralName[] names = Stream.concat(Stream.of(uris).map(u -> new GeneralName(GeneralName.uniformResourceIdentifier, u)),
        Stream.of(new GeneralName(GeneralName.dNSName, "localhost"))).toArray(GeneralName[]::new);
    return CA.issue(new X500Name("CN=raftkv-node-1"), new GeneralNames(names), KeyPurposeId.id_kp_serverAuth).certificate();
  }

  @Test
  void readsTheNodeIdAndTheClientNameTheCaWrote() {
    assertEquals(OptionalInt.of(7), CertificateIdentity.nodeId(CA.issueNode(7, "127.0.0.1").certificate()));
    assertEquals(Optional.empty(), CertificateIdentity.clientName(CA.issueNode(7, "127.0.0.1").certificate()));
    assertEquals(Optional.of("ops.team-1"), CertificateIdentity.clientName(CA.issueClient("ops.team-1").certificate()));
    assertEquals(OptionalInt.empty(), CertificateIdentity.nodeId(CA.issueClient("ops").certificate()));
    assertEquals(OptionalInt.of(Integer.MAX_VALUE), CertificateIdentity.nodeId(withUris("urn:raftkv:node:2147483647")));
    assertEquals(OptionalInt.of(4), CertificateIdentity.nodeId(withUris("https://example.org/", "urn:raftkv:node:4")),
        "URIs of others do not count");
  }

  @ParameterizedTest
  @ValueSource(strings = {"urn:raftkv:node:0", "urn:raftkv:node:-1", "urn:raftkv:node:+1", "urn:raftkv:node:01", "urn:raftkv:node:1a",
      "urn:raftkv:node:", "urn:raftkv:node:2147483648", "urn:raftkv:node:99999999999", "URN:RAFTKV:NODE:1", "urn:raftkv:node:1 ",
      "urn:raftkv:nodes:1", "urn:raftkv:node:1:2"})
  void refusesAMalformedNodeUri(String uri) {
    assertEquals(OptionalInt.empty(), CertificateIdentity.nodeId(withUris(uri)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"urn:raftkv:client:", "urn:raftkv:client:two words", "urn:raftkv:client:a/b", "URN:raftkv:client:ops",
      "urn:raftkv:client:x12345678901234567890123456789012345678901234567890123456789012345"})
  void refusesAMalformedClientUri(String uri) {
    assertEquals(Optional.empty(), CertificateIdentity.clientName(withUris(uri)));
  }

  @Test
  void refusesACertificateThatNamesMoreThanOneOrNoOne() {
    assertEquals(OptionalInt.empty(), CertificateIdentity.nodeId(withUris("urn:raftkv:node:1", "urn:raftkv:node:2")));
    assertEquals(OptionalInt.empty(), CertificateIdentity.nodeId(withUris("urn:raftkv:node:1", "urn:raftkv:node:1")));
    assertEquals(OptionalInt.empty(), CertificateIdentity.nodeId(withUris("urn:raftkv:node:1", "urn:raftkv:client:ops")));
    assertEquals(Optional.empty(), CertificateIdentity.clientName(withUris("urn:raftkv:node:1", "urn:raftkv:client:ops")));
    assertEquals(OptionalInt.empty(), CertificateIdentity.nodeId(withUris("urn:raftkv:node:1", "URN:RAFTKV:NODE:2")));
    assertEquals(OptionalInt.empty(), CertificateIdentity.nodeId(withUris()), "no URI at all");
  }
}
