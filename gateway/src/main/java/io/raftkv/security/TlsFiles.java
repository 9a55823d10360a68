package io.raftkv.security;

import java.nio.file.Path;

/**
 * Where the cluster's TLS material lies in its directory (conf/tls by default), as
 * {@code raftkv certs init} writes it: the CA ({@code ca.pem}, {@code ca.key}), per node its chain
 * and key ({@code node-<id>.pem}: its certificate then the CA's; {@code node-<id>.key}), per client
 * the same ({@code client-<name>.pem}, {@code .key}), the API tokens' hashes ({@code tokens.conf}) and
 * the key of the API's session tags ({@code session.key}, {@link SessionTags}). A node needs ca.pem,
 * its own pair, tokens.conf and session.key; ca.key is needed only to issue more.
 */
public record TlsFiles(Path dir) {
  public static final Path DEFAULT_DIR = Path.of("conf", "tls");

  public Path caCertificate() {
    return dir.resolve("ca.pem");
  }

  public Path caKey() {
    return dir.resolve("ca.key");
  }

  public Path nodeCertificate(int id) {
    return dir.resolve("node-" + id + ".pem");
  }

  public Path nodeKey(int id) {
    return dir.resolve("node-" + id + ".key");
  }

  public Path clientCertificate(String name) {
    return dir.resolve("client-" + name + ".pem");
  }

  public Path clientKey(String name) {
    return dir.resolve("client-" + name + ".key");
  }

  public Path tokens() {
    return dir.resolve("tokens.conf");
  }

  /** The key of the API's session tags: the same on every node, a secret. */
  public Path sessionKey() {
    return dir.resolve("session.key");
  }
}
