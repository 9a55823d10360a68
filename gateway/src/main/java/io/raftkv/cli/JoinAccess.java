package io.raftkv.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftkv.node.ClusterJoin;
import io.raftkv.security.AuthSettings;
import io.raftkv.security.TlsContexts;
import io.raftkv.security.TlsSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How {@code raftkv node --join} reaches the member it joins through, decided by the joining node's
 * own settings (its {@code -c} file, such as the run/secure.conf of {@code up --secure}): a node that
 * runs TLS asks over HTTPS trusting the cluster CA of its {@code raftkv.tls.dir}, and a node that
 * asks tokens of its clients ({@code raftkv.auth.enabled}) must bring one too, an admin's (adding a member needs that role). A node
 * without the token is refused before it starts, rather than after it has announced itself.
 */
final class JoinAccess {
  private JoinAccess() {}

  /**
   * @param settings the joining node's settings ({@code -c}), without the reference defaults
   * @param token {@code --token}, else {@value ClientOptions#TOKEN_ENV}
   */
  static ClusterJoin open(String target, int id, Config settings, Path baseDir, Optional<String> token) {
    Config merged = settings.withFallback(ConfigFactory.defaultReference()).resolve();
    TlsSettings tls = TlsSettings.fromConfig(merged, id, baseDir); // checks this node's material before it starts
    boolean auth = merged.getBoolean(AuthSettings.KEY + ".enabled");
    // The cluster's settings are the node's own (every node runs the same): tokens are asked when auth is on, TLS or not.
    if (auth && token.isEmpty()) {
      throw new IllegalArgumentException("--join " + target + ": this node runs with " + AuthSettings.KEY
          + ".enabled = on, so the cluster asks for an API token, and adding a member needs an admin's: give it with --token, or in $"
          + ClientOptions.TOKEN_ENV + " (which keeps it out of 'ps'), e.g. export " + ClientOptions.TOKEN_ENV + "=$(cat run/admin.token)");
    }
    token.filter(t -> t.isEmpty() || t.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)).ifPresent(t -> {
      throw new IllegalArgumentException("--token: a token is printable ASCII without spaces, and not empty");
    });
    Optional<javax.net.ssl.SSLContext> https = tls.enabled()
        ? Optional.of(TlsContexts.forClient(tls.files().caCertificate(), Optional.empty(), Optional.empty()))
        : Optional.empty();
    return new ClusterJoin(target, https, token);
  }
}
