package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.ClusterMembers;
import io.raftkv.client.RaftkvClient;
import io.raftkv.security.TlsInit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node JVMs: a fourth node joins a cluster that {@code raftkv up --secure} started, with
 * {@code raftkv node --join} and the run/secure.conf the others run with. Without a token it is
 * refused before it starts (exit 2, naming --token); with the admin's token (in RAFTKV_TOKEN) it
 * joins over HTTPS, is promoted to voter, and serves HTTPS.
 */
@Tag("slow")
class SecureJoinProcessTest {
  @TempDir Path dir;
  private ProcessCluster cluster;
  private ProcessCluster.Joiner joiner;

  @AfterEach
  void down() throws InterruptedException {
    if (joiner != null) joiner.stop();
    if (cluster != null) cluster.down();
  }

  @Test
  void aNodeJoinsASecureClusterWithAnAdminTokenAndNotWithout() throws Exception {
    Path tls = dir.resolve("tls");
    cluster = ProcessCluster.create(dir, 3, "raftkv.tls.dir = \"" + tls + "\"\nraftkv.raft.learner-stabilization-time = 2s");
    cluster.upSecure();

    // Node 4's certificate: certs init again, with node 4 in the cluster file, issues only what is missing.
    List<Integer> ports = ProcessCluster.freePorts(2);
    String four = String.format("  { id = 4, host = \"127.0.0.1\", artery-port = %d, http-port = %d, data-dir = \"%s\" }%n]%n", ports.get(0),
        ports.get(1), dir.resolve("data-4"));
    Path withFour = Files.writeString(dir.resolve("cluster-4.conf"), Files.readString(cluster.clusterFile).replaceFirst("\\]\\s*$", four));
    CliRun certs = CliRun.of("certs", "init", "-f", withFour.toString(), "--dir", tls.toString(), "--run-dir", cluster.runDir.toString());
    assertEquals(ExitCodes.OK, certs.code(), certs.toString());
    assertTrue(Files.isRegularFile(tls.resolve("node-4.pem")), certs.out());
    Path secure = cluster.runDir.resolve(LocalCluster.SECURE_SETTINGS);
    String admin = Files.readString(TlsInit.tokenFile(cluster.runDir, "admin")).strip();

    ProcessCluster.Joiner refused = cluster.join(4, 1, dir, ports, secure, Optional.empty(), List.of());
    assertTrue(refused.process().waitFor(60, TimeUnit.SECONDS), "a node without a token still runs:\n" + refused.output());
    assertEquals(ExitCodes.USAGE, refused.process().exitValue(), refused.output());
    assertTrue(refused.output().contains("give it with --token"), refused.output());
    assertTrue(!refused.output().contains("serving"), "refused before it starts:\n" + refused.output());

    // A token the cluster knows but whose role cannot add a member: the cluster answers 403, and the node says so and stops, not retrying.
    String reader = Files.readString(TlsInit.tokenFile(cluster.runDir, "reader")).strip();
    Path deniedDir = Files.createDirectories(dir.resolve("denied")); // its own data directory and log: the admin's join below starts afresh
    ProcessCluster.Joiner denied = cluster.join(4, 1, deniedDir, ports, secure, Optional.of(reader), List.of());
    assertTrue(denied.process().waitFor(60, TimeUnit.SECONDS), "a node with a read-only token still runs:\n" + denied.output());
    assertEquals(ExitCodes.USAGE, denied.process().exitValue(), denied.output());
    assertTrue(denied.output().contains("refused the token (403)") && denied.output().contains("needs an admin's API token"), denied.output());

    String urls = cluster.local.layout().members().stream().map(m -> "https://127.0.0.1:" + m.httpPort()).collect(Collectors.joining(","));
    RaftkvClient client = RaftkvClient.builder(List.of(urls.split(",")).stream().map(java.net.URI::create).toList()).token(admin)
        .caCertificate(tls.resolve("ca.pem")).timeout(Duration.ofSeconds(20)).build();
    joiner = cluster.join(4, 1, dir, ports, secure, Optional.of(admin), List.of());
    ProcessCluster.await(Duration.ofSeconds(120), () -> "node 4 a voter; its log:\n" + joiner.output(),
        () -> ProcessCluster.member(client, 4).map(ClusterMembers.Member::voter).orElse(false));
    assertTrue(joiner.output().contains("serving https://127.0.0.1:" + ports.get(1)), joiner.output());
    assertTrue(joiner.output().contains("is a member"), joiner.output());

    RaftkvClient viaNew = RaftkvClient.builder(List.of(joiner.http())).token(admin).caCertificate(tls.resolve("ca.pem"))
        .timeout(Duration.ofSeconds(20)).build();
    viaNew.put("through-4", "x".getBytes(StandardCharsets.UTF_8));
    assertEquals("x", new String(client.get("through-4").orElseThrow(), StandardCharsets.UTF_8));
  }
}
