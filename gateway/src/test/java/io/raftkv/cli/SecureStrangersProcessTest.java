package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftkv.client.RaftkvClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node JVMs: a secure cluster of three ({@code raftkv up --secure}), and a fourth JVM at node 4's
 * place of a cluster file that lists all four, first with a certificate of another CA, then without
 * TLS. Each runs for {@value #OBSERVE_SECONDS} s, trying to join and to be elected (it has no leader
 * and campaigns), while the cluster keeps committing writes: the cluster's term does not change and
 * its members stay 1, 2 and 3.
 */
@Tag("slow")
class SecureStrangersProcessTest {
  private static final int OBSERVE_SECONDS = 10;
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir; // kept when it fails: the logs are in it
  private ProcessCluster cluster;
  private Process stranger;

  @AfterEach
  void down() throws InterruptedException {
    if (stranger != null && stranger.isAlive()) {
      stranger.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (cluster != null) cluster.down();
  }

  @Test
  void aNodeOfAnotherCaAndOneWithoutTlsNeitherJoinNorDisturbTheCluster() throws Exception {
    cluster = ProcessCluster.create(dir, 3, "raftkv.tls.dir = \"" + dir.resolve("tls") + "\"");
    cluster.upSecure();
    int leader = cluster.awaitLeader(Duration.ofSeconds(60), 1, 2, 3);
    RaftkvClient client = cluster.client(1, 2, 3);
    client.put("before", "1".getBytes(StandardCharsets.UTF_8));
    long term = cluster.status(leader).orElseThrow().get("term").asLong();

    // Node 4 in a cluster file of four, its ports free now; its TLS material from a CA of its own.
    List<Integer> ports = ProcessCluster.freePorts(2);
    String four = String.format("  { id = 4, host = \"127.0.0.1\", artery-port = %d, http-port = %d, data-dir = \"%s\" }%n]%n", ports.get(0),
        ports.get(1), dir.resolve("data-4"));
    Path withFour = Files.writeString(dir.resolve("cluster-4.conf"), Files.readString(cluster.clusterFile).replaceFirst("\\]\\s*$", four));
    Path foreignTls = dir.resolve("foreign-tls");
    CliRun certs = CliRun.of("certs", "init", "-f", withFour.toString(), "--dir", foreignTls.toString(), "--run-dir",
        dir.resolve("foreign-run").toString());
    assertEquals(ExitCodes.OK, certs.code(), certs.toString());

    String[][] strangers = {
        {"another CA's certificate", "raftkv.tls { enabled = on, dir = \"" + foreignTls + "\" }\n"},
        {"no TLS", "raftkv.tls.enabled = off\n"}};
    for (String[] s : strangers) {
      Path settings = Files.writeString(dir.resolve("stranger.conf"), "raftkv.kv.quota-bytes = " + ProcessCluster.TEST_QUOTA + "\n" + s[1]);
      Path log = dir.resolve("stranger-" + s[0].replace(' ', '-').replace("'", "") + ".log");
      stranger = start(withFour, settings, log);
      // It is up once it serves its own HTTP API; from then on it tries to join (every 2 s) and campaigns for node 4.
      ProcessCluster.await(Duration.ofSeconds(60), () -> "the stranger (" + s[0] + ") up; its log:\n" + readQuietly(log),
          () -> readQuietly(log).contains("raftkv node 4 serving"));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(OBSERVE_SECONDS);
      int written = 0;
      while (System.nanoTime() < end) client.put("during-" + s[0] + "-" + written++, "v".getBytes(StandardCharsets.UTF_8));
      assertTrue(stranger.isAlive(), "the stranger (" + s[0] + ") ran, trying, the whole time; its log:\n" + Files.readString(log));
      if (s[0].startsWith("another CA")) {
        assertTrue(Files.readString(log).contains("PKIX path validation failed"), "it dialled the members and their certificates were"
            + " refused at its end too; its log:\n" + Files.readString(log));
      }
      List<String> lines = Files.readAllLines(log);
      System.out.println("the stranger with " + s[0] + ", the end of its log:\n  "
          + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 6), lines.size())));
      int leaderNow = cluster.awaitLeader(Duration.ofSeconds(10), 1, 2, 3);
      JsonNode status = cluster.status(leaderNow).orElseThrow();
      assertEquals(term, status.get("term").asLong(), "the stranger (" + s[0] + ") changed no term; its log:\n" + Files.readString(log));
      List<Integer> members = new ArrayList<>();
      cluster.membersSeenBy(leaderNow).orElseThrow().get("members").forEach(m -> members.add(m.get("id").asInt()));
      assertEquals(List.of(1, 2, 3), members, "the stranger (" + s[0] + ") is no member");
      assertTrue(written > 0);
      System.out.printf("stranger with %s: %d writes committed in %d s while it tried; term %d unchanged, members %s%n", s[0], written,
          OBSERVE_SECONDS, term, members);
      stranger.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String readQuietly(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  /** {@code raftkv node --id 4} of {@code clusterFile} with {@code settings}, its output in {@code log}. */
  private static Process start(Path clusterFile, Path settings, Path log) throws java.io.IOException {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), RaftkvCli.class.getName(), "node", "--id", "4", "-f", clusterFile.toString(), "-c",
        settings.toString());
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    b.environment().remove(ClientOptions.TOKEN_ENV);
    return b.start();
  }
}
