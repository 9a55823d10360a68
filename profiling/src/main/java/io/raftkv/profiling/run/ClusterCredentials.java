package io.raftkv.profiling.run;

import io.raftkv.security.TlsContexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * What a load generator needs to speak to a secure cluster ({@code raftkv up --secure}): the CA its
 * nodes' HTTPS certificates come from, and the admin's API token, sent as a bearer token.
 *
 * @param caCertificate the cluster CA's certificate (PEM)
 * @param token         the API token, sent in {@code Authorization: Bearer}
 */
public record ClusterCredentials(Path caCertificate, String token) {
  public ClusterCredentials {
    if (token.isBlank()) throw new IllegalArgumentException("an empty API token");
  }

  /** The credentials in {@code tokenFile} (one token, as {@code raftkv certs init} writes it) and {@code caCertificate}. */
  public static ClusterCredentials read(Path caCertificate, Path tokenFile) throws IOException {
    if (!Files.isRegularFile(caCertificate)) throw new IOException("no CA certificate at " + caCertificate);
    if (!Files.isRegularFile(tokenFile)) throw new IOException("no API token at " + tokenFile + " (raftkv certs init writes it)");
    return new ClusterCredentials(caCertificate, Files.readString(tokenFile, StandardCharsets.UTF_8).strip());
  }

  /** The environment that gives them to a Gatling simulation: {@code RAFTKV_TOKEN} and {@code RAFTKV_CACERT}. */
  public java.util.Map<String, String> environment() {
    return java.util.Map.of("RAFTKV_TOKEN", token, "RAFTKV_CACERT", caCertificate.toAbsolutePath().toString());
  }

  /** The value of the {@code Authorization} header. */
  public String authorization() {
    return "Bearer " + token;
  }

  /** A TLS context that trusts the cluster CA alone. */
  public SSLContext sslContext() {
    return TlsContexts.forClient(caCertificate, Optional.empty(), Optional.empty());
  }
}
