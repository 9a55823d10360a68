package io.raftkv.gatling;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The credentials of a secure cluster ({@code raftkv up --secure}), from the environment as the
 * {@code raftkv} commands take them: {@value #TOKEN_ENV} holds the API token (the environment keeps
 * it out of {@code ps}, where a system property would show), {@value #CA_ENV} the CA certificate
 * file that the nodes' HTTPS certificates come from. Both unset: a plain cluster.
 */
final class Credentials {
  static final String TOKEN_ENV = "RAFTKV_TOKEN";
  static final String CA_ENV = "RAFTKV_CACERT";

  private Credentials() {}

  /** The API token, when {@value #TOKEN_ENV} is set and not blank. */
  static Optional<String> token() {
    return Optional.ofNullable(System.getenv(TOKEN_ENV)).map(String::strip).filter(t -> !t.isEmpty());
  }

  /** A TLS context that trusts the CA of {@value #CA_ENV} alone, when it is set. */
  static Optional<SSLContext> sslContext() {
    Optional<Path> ca = Optional.ofNullable(System.getenv(CA_ENV)).filter(s -> !s.isBlank()).map(Path::of);
    if (ca.isEmpty()) return Optional.empty();
    try (InputStream in = Files.newInputStream(ca.get())) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) trusted.setCertificateEntry("ca-" + i++, c);
      if (i == 0) throw new IllegalArgumentException(CA_ENV + "=" + ca.get() + ": no certificate in it");
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(null, tmf.getTrustManagers(), null);
      return Optional.of(context);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(CA_ENV + "=" + ca.get() + ": " + e.getMessage(), e);
    }
  }
}
