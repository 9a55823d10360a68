package io.raftkv.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static io.raftkv.security.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates and keys through PEM files: the same back, keys owner-only, and every refusal naming the file. */
class PemFilesTest {
  private static final CertificateAuthority CA = CertificateAuthority.create("test CA");
  @TempDir Path dir;

  @Test
  void aChainAndAKeyComeBackAsWritten() throws Exception {
    IssuedCertificate node = CA.issueNode(1, "127.0.0.1");
    Path pem = dir.resolve("tls/node-1.pem");
    Path key = dir.resolve("tls/node-1.key");
    PemFiles.writeCertificates(pem, node.chain());
    PemFiles.writePrivateKey(key, node.privateKey());
    assertEquals(node.chain(), PemFiles.readCertificates(pem));
    assertEquals(node.certificate(), PemFiles.readCertificate(pem));
    assertArrayEquals(node.privateKey().getEncoded(), PemFiles.readPrivateKey(key).getEncoded());
    assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(pem)));
    try (var left = Files.list(pem.getParent())) {
      assertEquals(2, left.count(), "no temporary file left behind");
    }
  }

  @Test
  void aKeyOthersCanReadIsStillRead() throws Exception {
    Path key = dir.resolve("open.key");
    PemFiles.writePrivateKey(key, CA.privateKey());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertTrue(SecretFiles.readableByOthers(key));
    assertArrayEquals(CA.privateKey().getEncoded(), PemFiles.readPrivateKey(key).getEncoded(), "a warning, not a refusal");
  }

  @Test
  void rewritingAKeyKeepsItOwnerOnly() throws Exception {
    Path key = dir.resolve("k.key");
    Files.writeString(key, "old");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
    PemFiles.writePrivateKey(key, CA.privateKey());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
  }

  @Test
  void refusalsNameTheFile() throws Exception {
    Path missing = dir.resolve("missing.pem");
    assertRefused(missing + ": no such file", () -> PemFiles.readCertificates(missing));
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not PEM at all\n");
    assertRefused(empty + ": no PEM certificate", () -> PemFiles.readCertificates(empty));
    assertRefused(empty + ": no PEM private key", () -> PemFiles.readPrivateKey(empty));
    Path cert = dir.resolve("cert.pem");
    PemFiles.writeCertificates(cert, List.of(CA.certificate()));
    assertRefused(cert + ": holds a X509CertificateHolder where a private key", () -> PemFiles.readPrivateKey(cert));
    Path key = dir.resolve("ca.key");
    PemFiles.writePrivateKey(key, CA.privateKey());
    assertRefused(key + ": holds a PrivateKeyInfo where only certificates", () -> PemFiles.readCertificates(key));
    Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertRefused(broken + ": ", () -> PemFiles.readCertificates(broken));
  }

  /** BouncyCastle's provider only to make the encrypted key: the JDK has no AES/CBC/PKCS7Padding. */
  @Test
  void anEncryptedKeyIsRefused() throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(new JcaPKCS8Generator(CA.privateKey(),
          new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build()));
    }
    Path key = Files.writeString(dir.resolve("encrypted.key"), text.toString());
    assertRefused(key + ": the private key is encrypted", () -> PemFiles.readPrivateKey(key));
  }
}
