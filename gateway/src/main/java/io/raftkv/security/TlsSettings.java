package io.raftkv.security;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * {@code raftkv.tls}: whether this node talks TLS, and where its material lies. When on, the
 * connections between nodes are mutual TLS (each end shows a certificate of the cluster's CA naming
 * its node id, {@link PeerTls}) and the HTTP API is HTTPS with the same certificate. The files are
 * those {@code raftkv certs init} writes ({@link TlsFiles}); they are checked when the node starts,
 * so that a missing or mismatched file is named then rather than found in a failed handshake.
 *
 * @param files the directory of the material, absolute
 * @param nodeId whose certificate and key this node uses
 */
public record TlsSettings(boolean enabled, TlsFiles files, int nodeId) {
  public static final String KEY = "raftkv.tls";

  /** The settings of node {@code nodeId} from {@code raftkv.tls} of {@code config}; a relative directory is resolved against {@code baseDir}. */
  public static TlsSettings fromConfig(Config config, int nodeId, Path baseDir) {
    boolean enabled = config.getBoolean(KEY + ".enabled");
    Path dir = baseDir.resolve(config.getString(KEY + ".dir")).toAbsolutePath().normalize();
    TlsSettings settings = new TlsSettings(enabled, new TlsFiles(dir), nodeId);
    if (enabled) settings.check();
    return settings;
  }

  /** Refuses material that cannot work, naming the file and the command that makes it. */
  private void check() {
    for (Path p : new Path[] {files.caCertificate(), files.nodeCertificate(nodeId), files.nodeKey(nodeId)}) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(KEY + ".enabled = on, but " + p + " does not exist: run 'raftkv certs init' (it writes the"
            + " CA, and a certificate and key for every node of the cluster file) and copy node " + nodeId + "'s files to this host");
      }
    }
    nodeContext(); // reads and cross-checks the files: the key belongs to the certificate, the CA issued it
  }

  /** This node's TLS context: its certificate and key, trusting the cluster's CA only. */
  public SSLContext nodeContext() {
    return TlsContexts.forNode(files.caCertificate(), files.nodeCertificate(nodeId), files.nodeKey(nodeId));
  }
}
