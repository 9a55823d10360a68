package io.raftkv.security;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS 1.3 contexts from the PEM files of the cluster's TLS material, trusting the cluster CA and
 * nothing else (not the JDK's public CAs: anyone can get a certificate from one of those).
 *
 * <p>A node's context presents the node's certificate chain on both ends of a connection: as a
 * server it answers with it, and as a client it presents it when the server asks. Asking is the
 * server's part ({@code setNeedClientAuth(true)} on its engine or socket), and so is restricting the
 * protocol: a context made for {@value #PROTOCOL} still enables TLS 1.2 by default, so the users of
 * these contexts set {@link #PROTOCOLS} as the enabled protocols.
 *
 * <p>The files are checked before a context is made, so that a mistake is named at start rather than
 * found in a failed handshake: each failure is an {@link IllegalArgumentException} naming the file (a
 * missing or unreadable file, a CA file that holds no CA, a key that does not belong to the
 * certificate, a certificate the CA did not issue or that has expired).
 */
public final class TlsContexts {
  public static final String PROTOCOL = "TLSv1.3";
  /** The protocols to enable on every engine and socket made from these contexts. */
  public static final List<String> PROTOCOLS = List.of(PROTOCOL);
  private static final char[] NO_PASSWORD = new char[0]; // the key store lives in memory only

  private TlsContexts() {}

  /** A node's context: its key and chain ({@code certPem}: its certificate, then the CA's) and the CA as the only trust. */
  public static SSLContext forNode(Path caPem, Path certPem, Path keyPem) {
    List<X509Certificate> ca = authorities(caPem);
    return context(keyManagers(ca, caPem, certPem, keyPem), ca);
  }

  /**
   * A client's context: trusts the CA only, and presents a client certificate when both
   * {@code certPem} and {@code keyPem} are given (for a server that asks for one).
   */
  public static SSLContext forClient(Path caPem, Optional<Path> certPem, Optional<Path> keyPem) {
    if (certPem.isPresent() != keyPem.isPresent()) {
      throw new IllegalArgumentException("a client certificate needs its key and a key its certificate: got only "
          + certPem.or(() -> keyPem).orElseThrow());
    }
    List<X509Certificate> ca = authorities(caPem);
    KeyManager[] keys = certPem.isPresent() ? keyManagers(ca, caPem, certPem.get(), keyPem.get()) : null;
    return context(keys, ca);
  }

  private static List<X509Certificate> authorities(Path caPem) {
    List<X509Certificate> ca = PemFiles.readCertificates(caPem);
    for (X509Certificate c : ca) {
      if (c.getBasicConstraints() < 0) {
        throw new IllegalArgumentException(caPem + ": '" + c.getSubjectX500Principal() + "' is not a CA certificate; give the cluster CA's (ca.pem)");
      }
    }
    return ca;
  }

  private static KeyManager[] keyManagers(List<X509Certificate> ca, Path caPem, Path certPem, Path keyPem) {
    List<X509Certificate> chain = PemFiles.readCertificates(certPem);
    PrivateKey key = PemFiles.readPrivateKey(keyPem);
    if (!Keys.belongTogether(key, chain.get(0).getPublicKey())) {
      throw new IllegalArgumentException(keyPem + ": the key does not belong to the certificate in " + certPem);
    }
    try {
      Pkix.verify(chain, ca);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(certPem + ": not a valid certificate of the CA in " + caPem + ": " + e.getMessage(), e);
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("self", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX"); // PKIX: picks a certificate whose usage fits the end
      factory.init(store, NO_PASSWORD);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException(keyPem + ", " + certPem + ": cannot be used as a TLS key: " + e.getMessage(), e);
    }
  }

  private static SSLContext context(KeyManager[] keys, List<X509Certificate> ca) {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      for (int i = 0; i < ca.size(); i++) trusted.setCertificateEntry("ca-" + i, ca.get(i));
      TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance(PROTOCOL);
      context.init(keys, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("this JVM cannot make a " + PROTOCOL + " context", e);
    }
  }
}
