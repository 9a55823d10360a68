package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.node.ClusterLayout;
import io.raftkv.security.TlsInit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node JVMs: {@code raftkv up --secure} on a 3-node cluster file of free loopback ports makes
 * the TLS material, starts the nodes with TLS and API tokens, and waits for a leader over HTTPS.
 * Through the CLI: the admin's token writes and reads; no token is refused with the 401 message,
 * the reader's token reads and is refused a write (403), both exit code 8; {@code status} reaches
 * the nodes through a cluster file that says TLS is on; a plain {@code up} is refused while they
 * run; {@code down} stops them and removes the secure settings.
 */
@Tag("slow")
class SecureClusterProcessTest {
  @TempDir Path dir;
  private ProcessCluster cluster;

  @AfterEach
  void down() {
    if (cluster != null) cluster.down();
  }

  @Test
  void upSecureServesOverHttpsToTheTokensTheirRolesAllow() throws Exception {
    Path tls = dir.resolve("tls");
    cluster = ProcessCluster.create(dir, 3, "raftkv.tls.dir = \"" + tls + "\"");
    CliRun up = cluster.upSecure();
    Path adminToken = TlsInit.tokenFile(cluster.runDir, "admin");
    assertTrue(up.out().contains("raftkv certs init") && up.out().contains("cluster up (TLS and API tokens)"), up.out());
    assertTrue(up.out().contains("export RAFTKV_TOKEN=$(cat " + adminToken + ")"), up.out());
    assertTrue(Files.isRegularFile(cluster.runDir.resolve(LocalCluster.SECURE_SETTINGS)));

    String urls = cluster.local.layout().members().stream().map(m -> "https://127.0.0.1:" + m.httpPort()).collect(Collectors.joining(","));
    String admin = Files.readString(adminToken).strip();
    String reader = Files.readString(TlsInit.tokenFile(cluster.runDir, "reader")).strip();

    CliRun put = cli("put", "greeting", "hello", "--token", admin, "--nodes", urls, "--cacert", tls.resolve("ca.pem").toString());
    assertEquals(ExitCodes.OK, put.code(), put.toString());
    CliRun get = cli("get", "greeting", "--token", admin, "--nodes", urls, "--cacert", tls.resolve("ca.pem").toString());
    assertEquals(ExitCodes.OK, get.code(), get.toString());
    assertEquals("hello", get.out());

    CliRun anonymous = cli("get", "greeting", "--nodes", urls, "--cacert", tls.resolve("ca.pem").toString());
    assertEquals(ExitCodes.DENIED, anonymous.code(), anonymous.toString());
    assertTrue(anonymous.err().contains("not authenticated (401): the cluster asks for an API token"), anonymous.err());
    CliRun read = cli("get", "greeting", "--token", reader, "--nodes", urls, "--cacert", tls.resolve("ca.pem").toString());
    assertEquals(ExitCodes.OK, read.code(), read.toString());
    CliRun write = cli("put", "greeting", "bye", "--token", reader, "--nodes", urls, "--cacert", tls.resolve("ca.pem").toString());
    assertEquals(ExitCodes.DENIED, write.code(), write.toString());
    assertTrue(write.err().contains("not allowed (403): the token 'reader' has the role read-only"), write.err());

    // A cluster file that says TLS is on: the commands find https there, and the CA given.
    Path secureFile = Files.writeString(dir.resolve("secure-cluster.conf"), Files.readString(cluster.clusterFile) + "raftkv.tls.enabled = on\n");
    CliRun status = cli("status", "-f", secureFile.toString(), "--token", reader, "--cacert", tls.resolve("ca.pem").toString());
    assertEquals(ExitCodes.OK, status.code(), status.toString());
    assertTrue(status.out().contains("https://127.0.0.1:"), status.out());
    assertEquals("hello", cli("get", "greeting", "-f", secureFile.toString(), "--token", admin, "--cacert", tls.resolve("ca.pem").toString()).out());

    // As the README has it: a command run where 'up --secure' ran, the token in RAFTKV_TOKEN, nothing else said.
    Process put2 = inClusterDirectory(admin, "put", "tour", "hello", "-f", "cluster.conf");
    String putOutput = output(put2);
    assertEquals(ExitCodes.OK, put2.waitFor(), putOutput);
    Process get2 = inClusterDirectory(admin, "get", "tour", "-f", "cluster.conf");
    String got = output(get2);
    assertEquals(ExitCodes.OK, get2.waitFor(), got);
    assertEquals("hello", got);

    CliRun plain = CliRun.of("up", "-f", cluster.clusterFile.toString(), "-c", cluster.configFile.toString(), "--run-dir", cluster.runDir.toString());
    assertEquals(ExitCodes.USAGE, plain.code(), plain.toString());
    assertTrue(plain.err().contains("run with --secure"), plain.err());

    cluster.down();
    cluster = null;
    assertFalse(Files.exists(dir.resolve("run").resolve(LocalCluster.SECURE_SETTINGS)), "down removes the secure settings");
    for (ClusterLayout.Member m : new LocalCluster(dir.resolve("cluster.conf"), dir.resolve("node.conf"), dir.resolve("run")).layout().members()) {
      assertTrue(Files.readString(dir.resolve("run").resolve("node-" + m.id() + ".log")).contains("serving"), "node " + m.id() + " served");
    }
  }

  /** {@code raftkv ARGS} in a JVM of its own, run in the test's directory (where run/ is) with {@code RAFTKV_TOKEN} set. */
  private Process inClusterDirectory(String token, String... args) throws java.io.IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), RaftkvCli.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    b.environment().put(ClientOptions.TOKEN_ENV, token);
    return b.start();
  }

  private static String output(Process p) throws java.io.IOException {
    return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--timeout", "20s"));
    return CliRun.of(all.toArray(String[]::new));
  }
}
