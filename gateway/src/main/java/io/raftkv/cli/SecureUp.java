package io.raftkv.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import io.raftkv.node.ClusterLayout;
import io.raftkv.security.AuthSettings;
import io.raftkv.security.TlsFiles;
import io.raftkv.security.TlsInit;
import io.raftkv.security.TlsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@code raftkv up --secure} does before it starts the nodes: makes the TLS material with
 * {@code raftkv certs init} when the TLS directory lacks some of what the cluster file's nodes need,
 * and writes the settings the nodes then run with ({@link LocalCluster#SECURE_SETTINGS} in the run
 * directory): those of {@code --config}, included, with TLS and authentication on.
 */
public final class SecureUp {
  private final Path clusterFile;
  private final Path configFile;
  private final Path runDir;
  private final TlsFiles tls;
  private final boolean tokensFileSet;

  public SecureUp(Path clusterFile, Path configFile, Path runDir) {
    this.clusterFile = clusterFile.toAbsolutePath().normalize();
    this.configFile = configFile.toAbsolutePath().normalize();
    this.runDir = runDir;
    Config given = (Files.isRegularFile(configFile) ? ConfigFactory.parseFile(configFile.toFile()) : ConfigFactory.empty())
        .withFallback(ConfigFactory.parseFile(clusterFile.toFile()));
    this.tls = LocalCluster.tlsFiles(given);
    this.tokensFileSet = given.hasPath(AuthSettings.KEY + ".tokens-file");
  }

  /** The file that holds the admin's token, which {@link #prepare} makes when it makes the material. */
  public Path adminTokenFile() {
    return TlsInit.tokenFile(runDir, TlsInit.ADMIN_CLIENT);
  }

  public TlsFiles tls() {
    return tls;
  }

  /** The settings file the nodes run with. */
  public Path settingsFile() {
    return runDir.resolve(LocalCluster.SECURE_SETTINGS);
  }

  /** What the nodes of {@code layout} need and the TLS directory lacks (and the admin's token, for up to use). */
  List<Path> missing(ClusterLayout layout) {
    List<Path> needed = new ArrayList<>(List.of(tls.caCertificate(), tls.tokens(), tls.sessionKey(),
        TlsInit.tokenFile(runDir, TlsInit.ADMIN_CLIENT)));
    for (ClusterLayout.Member m : layout.members()) needed.addAll(List.of(tls.nodeCertificate(m.id()), tls.nodeKey(m.id())));
    return needed.stream().filter(p -> !Files.exists(p)).toList();
  }

  /**
   * Runs {@code certs init} for {@code layout} if anything is missing (reporting each file), then
   * writes the settings file. A material that cannot be kept nor made is refused (IllegalArgumentException).
   */
  public void prepare(ClusterLayout layout, Consumer<String> report) throws IOException {
    List<Path> missing = missing(layout);
    if (!missing.isEmpty()) {
      report.accept("TLS material missing (" + missing.get(0) + (missing.size() > 1 ? " and " + (missing.size() - 1) + " more" : "")
          + "): raftkv certs init");
      new TlsInit(tls, runDir, false, line -> report.accept("  " + line)).run(layout);
    }
    StringBuilder settings = new StringBuilder()
        .append("# Written by 'raftkv up --secure': the settings its nodes run with, those of the included file with TLS and API tokens on.\n")
        .append("# 'raftkv down' removes it; client commands read it to reach these nodes over HTTPS.\n")
        .append("include file(").append(ConfigUtil.quoteString(configFile.toString())).append(")\n")
        .append(TlsSettings.KEY).append(".enabled = on\n")
        .append(TlsSettings.KEY).append(".dir = ").append(ConfigUtil.quoteString(tls.dir().toString())).append('\n')
        .append(AuthSettings.KEY).append(".enabled = on\n");
    if (!tokensFileSet) settings.append(AuthSettings.KEY).append(".tokens-file = ").append(ConfigUtil.quoteString(tls.tokens().toString())).append('\n');
    settings.append(LocalCluster.SECURE_CLUSTER_FILE).append(" = ").append(ConfigUtil.quoteString(clusterFile.toString())).append('\n');
    Files.createDirectories(runDir);
    Files.writeString(settingsFile(), settings, StandardCharsets.UTF_8);
  }
}
