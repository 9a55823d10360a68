package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftkv.client.ClusterMembers;
import io.raftkv.client.RaftkvClient;
import io.raftkv.node.FatalStop;
import io.raftkv.node.NodeIdentity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node JVMs: the cluster's identity. The first leader gives the cluster an id and records
 * each member's data directory; a member whose directory was wiped is refused under its old id
 * and stops saying why (exit 7), and is then replaced by the documented steps (remove it, empty
 * the directory, join again); a node whose directory belongs to another cluster is refused.
 */
@Tag("slow")
class IdentityProcessTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;
  private ProcessCluster cluster;
  private ProcessCluster other;
  private ProcessCluster.Joiner joiner;

  @AfterEach
  void down() throws Exception {
    if (joiner != null) joiner.stop();
    if (cluster != null) cluster.down();
    if (other != null) other.down();
  }


  /** Whether node {@code via}'s view has a committed cluster id and every member's incarnation recorded. */
  private static boolean registered(ProcessCluster c, int via) {
    return c.membersSeenBy(via).map(m -> {
      if (m.path("clusterId").asText().equals("0000000000000000") || !m.path("committed").asBoolean()) return false;
      for (JsonNode n : m.path("members")) if (n.path("incarnation").asText().equals("0000000000000000")) return false;
      return true;
    }).orElse(false);
  }

  private static void wipe(Path dataDir) throws IOException {
    if (!Files.exists(dataDir)) return;
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }


  @Test
  void aWipedMemberIsRefusedThenReplacedAndAnotherClustersNodeIsRefused() throws Exception {
    cluster = ProcessCluster.create(dir, 3, "raftkv.raft.learner-stabilization-time = 2s");
    cluster.up();
    RaftkvClient client = cluster.client(1, 2);
    for (int i = 0; i < 20; i++) client.put("k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8));
    ProcessCluster.await(Duration.ofSeconds(60), () -> "the cluster id and every incarnation recorded: " + cluster.membersSeenBy(1),
        () -> registered(cluster, 1));
    JsonNode before = cluster.membersSeenBy(1).orElseThrow();
    String clusterId = before.path("clusterId").asText();
    String incarnation3 = before.path("members").get(2).path("incarnation").asText();
    Path data3 = cluster.local.dataDir(3);
    assertTrue(Files.readString(data3.resolve(NodeIdentity.FILE_NAME)).contains("incarnation = " + incarnation3),
        "the configuration knows node 3 by its data directory's incarnation");

    // Node 3's disk dies: killed, its directory wiped, started again under its id. It is refused and says why.
    cluster.kill(3);
    wipe(data3);
    CliRun up = CliRun.of("up", "-f", cluster.clusterFile.toString(), "-c", cluster.configFile.toString(), "--run-dir",
        cluster.runDir.toString(), "--timeout", "60s");
    System.out.println("up with node 3 wiped: exit " + up.code()); // 4 if it saw node 3 stop, 0 if it saw a leader first
    ProcessCluster.await(Duration.ofSeconds(60), () -> "node 3 stopped itself, refused; up said:\n" + up,
        () -> cluster.local.stoppedItself(3).isPresent());
    String stopped = cluster.local.stoppedItself(3).orElseThrow();
    assertTrue(stopped.contains("(exit " + FatalStop.REFUSED + ")") && stopped.contains("refused this data directory")
        && stopped.contains("raftkv member remove 3"), stopped);
    client.put("while-3-is-refused", "x".getBytes(StandardCharsets.UTF_8)); // nodes 1 and 2 make the quorum
    assertEquals(incarnation3, cluster.membersSeenBy(1).orElseThrow().path("members").get(2).path("incarnation").asText(),
        "the refused directory changed nothing");

    // Replaced as docs/OPERATIONS.md says: remove it, empty its directory, join again.
    CliRun remove = CliRun.of("member", "remove", "3", "-f", cluster.clusterFile.toString());
    assertEquals(ExitCodes.OK, remove.code(), remove.toString());
    wipe(data3);
    joiner = cluster.join(3, 1, dir);
    ProcessCluster.await(Duration.ofSeconds(120), () -> "node 3 a voter again; its log:\n" + joiner.output(),
        () -> ProcessCluster.member(client, 3).map(ClusterMembers.Member::voter).orElse(false));
    assertEquals("x", new String(RaftkvClient.of(java.util.List.of(joiner.http())).get("while-3-is-refused").orElseThrow(), StandardCharsets.UTF_8));
    JsonNode after = cluster.membersSeenBy(1).orElseThrow();
    assertEquals(clusterId, after.path("clusterId").asText(), "the cluster keeps its id");
    String newIncarnation = after.path("members").get(2).path("incarnation").asText();
    assertNotEquals(incarnation3, newIncarnation, "node 3 is known by its new directory");

    // A node whose data directory belongs to another cluster is refused: by raftkv node --join ...
    other = ProcessCluster.create(Files.createDirectories(dir.resolve("other")), 1, "");
    other.up();
    ProcessCluster.await(Duration.ofSeconds(60), "the other cluster's id committed", () -> registered(other, 1));
    String otherId = other.membersSeenBy(1).orElseThrow().path("clusterId").asText();
    assertNotEquals(clusterId, otherId);
    other.down();
    Path otherData = other.local.dataDir(1);
    CliRun wrong = CliRun.of("node", "--id", "1", "--host", "127.0.0.1", "--artery-port", Integer.toString(ProcessCluster.freePorts(1).get(0)),
        "--http-port", Integer.toString(ProcessCluster.freePorts(1).get(0)), "--data-dir", otherData.toString(),
        "--join", "127.0.0.1:" + cluster.local.layout().member(1).httpPort());
    assertEquals(ExitCodes.USAGE, wrong.code(), wrong.toString());
    assertTrue(wrong.err().contains("belongs to cluster " + otherId) && wrong.err().contains(clusterId), wrong.toString());

    // ... and by the members API, whoever asks.
    HttpResponse<String> add = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.local.layout().member(1).httpUrl() + "/v1/members"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\": 9, \"host\": \"127.0.0.1\", \"arteryPort\": 1, \"httpPort\": 2, \"clusterId\": \""
            + otherId + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(409, add.statusCode(), add.body());
    assertTrue(add.body().contains("belongs to cluster " + otherId), add.body());
  }
}
