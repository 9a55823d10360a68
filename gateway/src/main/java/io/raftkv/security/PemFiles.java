package io.raftkv.security;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * X.509 certificates and private keys as PEM files, the form openssl, curl and most TLS tools read.
 *
 * <p>A certificate file holds one or more {@code CERTIFICATE} blocks; a chain lists the leaf first,
 * then its issuers. A key file is written as one unencrypted PKCS#8 {@code PRIVATE KEY} block;
 * reading also takes openssl's traditional {@code EC PRIVATE KEY} and {@code RSA PRIVATE KEY}
 * blocks, so a key made elsewhere can be used. Encrypted keys are refused: a node starts unattended,
 * with no one to type a passphrase.
 *
 * <p>Key files are written owner-only (rw-------, {@link SecretFiles}). Reading a key file that group
 * or others may read does not refuse it, it logs a warning: the mode is the operator's choice (a
 * service account in the file's group, a secrets mount whose mode they do not control), and refusing
 * would stop a node over it while the key is already as exposed as it will be.
 *
 * <p>Every failure to read is an {@link IllegalArgumentException} whose message names the file.
 */
public final class PemFiles {
  private static final Logger log = LoggerFactory.getLogger(PemFiles.class);

  private PemFiles() {}

  /** The certificates in {@code file}, in file order (a chain: leaf first); at least one. */
  public static List<X509Certificate> readCertificates(Path file) {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (Object block : blocks(file)) {
      if (!(block instanceof X509CertificateHolder holder)) {
        throw new IllegalArgumentException(file + ": holds a " + kind(block) + " where only certificates (CERTIFICATE) are expected");
      }
      try {
        certificates.add(converter.getCertificate(holder));
      } catch (CertificateException e) {
        throw new IllegalArgumentException(file + ": certificate " + (certificates.size() + 1) + " cannot be read: " + e.getMessage(), e);
      }
    }
    if (certificates.isEmpty()) throw new IllegalArgumentException(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
    return List.copyOf(certificates);
  }

  /** The first certificate in {@code file}: the leaf of a chain, or a CA's own. */
  public static X509Certificate readCertificate(Path file) {
    return readCertificates(file).get(0);
  }

  /** The one private key in {@code file}. Logs a warning when group or others may read the file. */
  public static PrivateKey readPrivateKey(Path file) {
    List<Object> blocks = blocks(file);
    if (blocks.size() != 1) {
      throw new IllegalArgumentException(file + ": " + (blocks.isEmpty() ? "no PEM private key (-----BEGIN PRIVATE KEY-----) in it"
          : "holds " + blocks.size() + " PEM blocks where one private key is expected"));
    }
    Object block = blocks.get(0);
    PrivateKey key;
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (block instanceof PrivateKeyInfo info) {
        key = converter.getPrivateKey(info);
      } else if (block instanceof PEMKeyPair pair) {
        key = converter.getKeyPair(pair).getPrivate();
      } else if (block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair) {
        throw new IllegalArgumentException(file + ": the private key is encrypted; raftkv needs an unencrypted one (kept rw-------)");
      } else {
        throw new IllegalArgumentException(file + ": holds a " + kind(block) + " where a private key (PRIVATE KEY) is expected");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": the private key cannot be read: " + e.getMessage(), e);
    }
    warnIfExposed(file);
    return key;
  }

  /** Writes {@code chain} (leaf first) to {@code file}, readable by all: certificates are public. */
  public static void writeCertificates(Path file, List<X509Certificate> chain) throws IOException {
    if (chain.isEmpty()) throw new IllegalArgumentException("no certificate to write to " + file);
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (X509Certificate certificate : chain) writer.writeObject(certificate);
    }
    SecretFiles.writePublic(file, text.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes {@code key} to {@code file} as unencrypted PKCS#8, readable by its owner only (rw-------). */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    if (!"PKCS#8".equals(key.getFormat())) throw new IllegalArgumentException("the key for " + file + " is not PKCS#8-encodable");
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
    }
    SecretFiles.writeOwnerOnly(file, text.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private static List<Object> blocks(Path file) {
    List<Object> blocks = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) blocks.add(block);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(file + ": permission denied", e);
    } catch (IOException | RuntimeException e) { // PEMParser throws unchecked exceptions on some malformed blocks
      throw new IllegalArgumentException(file + ": cannot be read as PEM: " + e.getMessage(), e);
    }
    return blocks;
  }

  private static String kind(Object block) {
    return block.getClass().getSimpleName();
  }

  private static void warnIfExposed(Path file) {
    try {
      if (SecretFiles.readableByOthers(file)) {
        log.warn("{}: the private key is readable by group or others; chmod 600 it (raftkv writes its keys rw-------)", file);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // no POSIX permissions to check: nothing to say
    }
  }
}
