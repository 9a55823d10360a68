package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the client commands find the nodes, their scheme, the CA and the token. */
class ClientOptionsTest {
  private static final String NODES = "raftkv.cluster.nodes = [ { id = 1, host = \"127.0.0.1\", artery-port = 2551, http-port = 8081,"
      + " data-dir = d1 } ]\n";
  @TempDir Path dir;

  private ClientOptions options(Path clusterFile, Map<String, String> environment) {
    ClientOptions o = new ClientOptions();
    o.clusterFile = clusterFile;
    o.runDir = dir.resolve("run");
    o.environment = environment::get;
    return o;
  }

  @Test
  void theClusterFileOrUpSecureMakeTheNodesHttps() throws IOException {
    Path plain = Files.writeString(dir.resolve("cluster.conf"), NODES);
    ClientOptions o = options(plain, Map.of());
    assertEquals(List.of(URI.create("http://127.0.0.1:8081")), o.nodeUrls());
    assertEquals(Optional.empty(), o.caCertificate(o.nodeUrls()));

    // What 'up --secure' leaves in the run directory, for this cluster file and another.
    Path tls = Files.createDirectories(dir.resolve("tls"));
    Files.writeString(tls.resolve("ca.pem"), "not read here");
    SecureUp up = new SecureUp(plain, dir.resolve("none.conf"), dir.resolve("run"));
    Files.createDirectories(dir.resolve("run"));
    Files.writeString(up.settingsFile(), "raftkv.tls { enabled = on, dir = \"" + tls + "\" }\n" + LocalCluster.SECURE_CLUSTER_FILE
        + " = \"" + dir.resolve("other.conf") + "\"\n");
    assertEquals(List.of(URI.create("http://127.0.0.1:8081")), o.nodeUrls(), "recorded for another cluster file");
    Files.writeString(up.settingsFile(), "raftkv.tls { enabled = on, dir = \"" + tls + "\" }\n" + LocalCluster.SECURE_CLUSTER_FILE
        + " = \"" + plain.toAbsolutePath() + "\"\n");
    assertEquals(List.of(URI.create("https://127.0.0.1:8081")), o.nodeUrls());
    assertEquals(Optional.of(tls.resolve("ca.pem")), o.caCertificate(o.nodeUrls()), "the CA of the TLS directory up used");

    Path secureFile = Files.writeString(dir.resolve("secure-cluster.conf"), NODES + "raftkv.tls.enabled = on\n");
    ClientOptions s = options(secureFile, Map.of());
    assertEquals(List.of(URI.create("https://127.0.0.1:8081")), s.nodeUrls());
    s.caCertificate = dir.resolve("given.pem");
    assertEquals(Optional.of(dir.resolve("given.pem")), s.caCertificate(s.nodeUrls()));
  }

  @Test
  void theTokenIsTheOptionsElseTheEnvironments() throws IOException {
    Path file = Files.writeString(dir.resolve("cluster.conf"), NODES);
    assertEquals(Optional.empty(), options(file, Map.of()).token());
    assertEquals(Optional.empty(), options(file, Map.of(ClientOptions.TOKEN_ENV, "  ")).token());
    assertEquals(Optional.of("rkv_env"), options(file, Map.of(ClientOptions.TOKEN_ENV, "rkv_env\n")).token());
    ClientOptions given = options(file, Map.of(ClientOptions.TOKEN_ENV, "rkv_env"));
    given.token = "rkv_option";
    assertEquals(Optional.of("rkv_option"), given.token());
  }
}
