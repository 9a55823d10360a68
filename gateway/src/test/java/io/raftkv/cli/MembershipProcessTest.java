package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.ClusterMembers;
import io.raftkv.client.RaftkvClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node JVMs: a three-node cluster started by {@code raftkv up} grows to four with one
 * {@code raftkv node ... --join} command (the new node is promoted to voter without another
 * command), serves writes through the new node, and shrinks back with {@code raftkv member remove}.
 */
class MembershipProcessTest {
  @TempDir Path dir;
  private ProcessCluster cluster;
  private ProcessCluster.Joiner joiner;

  @AfterEach
  void down() throws Exception {
    if (joiner != null) joiner.stop();
    if (cluster != null) cluster.down();
  }


  @Test
  void aNodeJoinsWithOneCommandIsPromotedServesAndIsRemoved() throws Exception {
    cluster = ProcessCluster.create(dir, 3, "raftkv.raft.learner-stabilization-time = 2s");
    cluster.up();
    RaftkvClient client = cluster.client(1, 2, 3);
    for (int i = 0; i < 50; i++) client.put("before-" + i, ("v" + i).getBytes(StandardCharsets.UTF_8));

    long started = System.nanoTime();
    joiner = cluster.join(4, 1, dir);
    ProcessCluster.await(Duration.ofSeconds(120), () -> "node 4 a voter; its log:\n" + joiner.output(),
        () -> ProcessCluster.member(client, 4).map(ClusterMembers.Member::voter).orElse(false));
    System.out.printf("node 4 joined and was promoted in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    assertTrue(joiner.output().contains("is a member"), joiner.output());

    // The new node serves: a write through it, read back through node 1; the keys written before are there.
    RaftkvClient viaNew = RaftkvClient.of(List.of(joiner.http()));
    viaNew.put("through-4", "x".getBytes(StandardCharsets.UTF_8));
    assertEquals("x", new String(cluster.client(1).get("through-4").orElseThrow(), StandardCharsets.UTF_8));
    assertEquals("v7", new String(viaNew.get("before-7").orElseThrow(), StandardCharsets.UTF_8));
    ClusterMembers members = client.members();
    assertEquals(List.of(1, 2, 3, 4), members.members().stream().filter(ClusterMembers.Member::voter).map(ClusterMembers.Member::id).toList());

    CliRun list = CliRun.of("member", "list", "-f", cluster.clusterFile.toString());
    assertEquals(ExitCodes.OK, list.code(), list.toString());
    assertTrue(list.out().lines().anyMatch(l -> l.matches("4\\s+voter\\s+127\\.0\\.0\\.1\\s+.*")), list.out());
    assertTrue(list.out().startsWith("leader: node "), list.out());

    // Shrink back: the CLI removes it.
    CliRun remove = CliRun.of("member", "remove", "4", "-f", cluster.clusterFile.toString());
    assertEquals(ExitCodes.OK, remove.code(), remove.toString());
    assertEquals(List.of(1, 2, 3), client.members().members().stream().map(ClusterMembers.Member::id).toList());
    client.put("after-removal", "y".getBytes(StandardCharsets.UTF_8)); // three voters still make a quorum

    // The removed node learns it and stops, saying why.
    assertTrue(joiner.process().waitFor(60, TimeUnit.SECONDS), "the removed node still runs; its log:\n" + joiner.output());
    assertEquals(io.raftkv.node.FatalStop.REMOVED, joiner.process().exitValue(), joiner.output());
    String stopped = Files.readString(dir.resolve("data-4").resolve(io.raftkv.node.FatalStop.FILE_NAME));
    assertTrue(stopped.contains("removed from the cluster"), stopped);
  }
}
