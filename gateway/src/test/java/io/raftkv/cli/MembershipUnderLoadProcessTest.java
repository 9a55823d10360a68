package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.check.CheckResult;
import io.raftkv.check.HistoryReader;
import io.raftkv.check.LinearizabilityChecker;
import io.raftkv.check.Verdict;
import io.raftkv.client.ClusterMembers;
import io.raftkv.client.RaftkvClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node JVMs under client load, every membership change in one run: a three-node cluster grows
 * to five (nodes 4 and 5 join and are promoted), removes its leader (which hands leadership over
 * first), loses a node to SIGKILL and replaces it (removed while down, node 6 joins with an empty
 * data directory). Stress runs with recorded histories span all of it: each history must be
 * linearizable, and every acknowledged write must be there at the end, read through node 6.
 */
@Tag("slow") // three minutes of node JVMs: the slower tier (the at-size profile)
class MembershipUnderLoadProcessTest {
  @TempDir Path dir;
  private ProcessCluster cluster;
  private final List<ProcessCluster.Joiner> joiners = new ArrayList<>();

  @AfterEach
  void down() throws Exception {
    for (ProcessCluster.Joiner j : joiners) j.stop();
    if (cluster != null) cluster.down();
  }

  private static List<Integer> voters(RaftkvClient client) {
    try {
      return client.members().members().stream().filter(ClusterMembers.Member::voter).map(ClusterMembers.Member::id).toList();
    } catch (RuntimeException e) {
      return List.of(); // no answer this time: asked again until the deadline
    }
  }

  private static int leader(RaftkvClient client) {
    try {
      return client.members().leader();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private void awaitVoters(RaftkvClient client, List<Integer> expected, String why) {
    long started = System.nanoTime();
    ProcessCluster.await(Duration.ofSeconds(120), () -> why + ": voters " + expected + ", now " + voters(client) + describeJoiners(),
        () -> voters(client).equals(expected));
    System.out.printf("%s: voters %s after %d ms%n", why, expected, (System.nanoTime() - started) / 1_000_000);
  }

  private String describeJoiners() {
    StringBuilder s = new StringBuilder();
    for (ProcessCluster.Joiner j : joiners) s.append("\nnode ").append(j.id()).append(":\n").append(j.output());
    return s.toString();
  }

  @Test
  void growRemoveTheLeaderAndReplaceAKilledNodeUnderLoadLosingNothing() throws Exception {
    cluster = ProcessCluster.create(dir, 3, "raftkv.raft.learner-stabilization-time = 2s");
    cluster.up();
    RaftkvClient admin = cluster.client(1, 2, 3);
    // The load: stress runs one after another, each with its own recorded history, until every change is made (at most 60 runs).
    // They go through the three bootstrap nodes, failing over between them: the leader and the node killed below
    // leave, and the third stays a member throughout.
    java.util.concurrent.atomic.AtomicBoolean changesDone = new java.util.concurrent.atomic.AtomicBoolean();
    List<CliRun> runs = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Path> histories = java.util.Collections.synchronizedList(new ArrayList<>());
    String nodes = "http://127.0.0.1:" + cluster.local.layout().member(3).httpPort() + ",http://127.0.0.1:" + cluster.local.layout().member(1).httpPort()
        + ",http://127.0.0.1:" + cluster.local.layout().member(2).httpPort();
    Thread writer = new Thread(() -> {
      for (int run = 0; run < 60 && (run == 0 || !changesDone.get()); run++) {
        Path h = dir.resolve("history-" + run + ".jsonl");
        histories.add(h);
        runs.add(CliRun.of("stress", "--nodes", nodes, "-t", "2", "-n", "300", "--seed", Integer.toString(11 + run), "--history", h.toString(),
            "--timeout", "30s", "--duration-max", "120s"));
        if (runs.get(runs.size() - 1).code() != 0) return;
      }
    });
    writer.start();
    ProcessCluster.await(Duration.ofSeconds(60), "writes recorded", () -> !histories.isEmpty() && Files.exists(histories.get(0)));

    // Grow: 3 -> 5.
    joiners.add(cluster.join(4, 1, dir));
    awaitVoters(admin, List.of(1, 2, 3, 4), "node 4 joined");
    joiners.add(cluster.join(5, 2, dir));
    awaitVoters(admin, List.of(1, 2, 3, 4, 5), "node 5 joined");

    // Remove the leader: it hands leadership over, the next leader removes it, and it stops.
    int leader = leader(admin);
    assertTrue(leader != 0, "a leader");
    // The changes go through a bootstrap node that stays (not the leader, not the node killed below): any of the
    // three may lead now, and a node removed stops serving.
    List<Integer> bootstrap = new ArrayList<>(List.of(1, 2, 3));
    bootstrap.remove(Integer.valueOf(leader));
    int victim = bootstrap.get(0);
    int via = bootstrap.get(1);
    CliRun removeLeader = CliRun.of("member", "remove", Integer.toString(leader), "--nodes", "http://127.0.0.1:"
        + cluster.local.layout().member(via).httpPort(), "--timeout", "30s");
    assertEquals(ExitCodes.OK, removeLeader.code(), removeLeader.toString());
    List<Integer> afterLeader = new ArrayList<>(List.of(1, 2, 3, 4, 5));
    afterLeader.remove(Integer.valueOf(leader));
    RaftkvClient survivors = RaftkvClient.builder(List.of(java.net.URI.create("http://127.0.0.1:" + cluster.local.layout().member(via).httpPort()),
        joiners.get(0).http(), joiners.get(1).http())).timeout(Duration.ofSeconds(20)).build();
    awaitVoters(survivors, afterLeader, "leader " + leader + " removed");

    // Replace a dead node: kill another bootstrap node, remove it while down, add node 6.
    cluster.kill(victim);
    CliRun removeDead = CliRun.of("member", "remove", Integer.toString(victim), "--nodes", "http://127.0.0.1:"
        + cluster.local.layout().member(via).httpPort(), "--timeout", "30s");
    assertEquals(ExitCodes.OK, removeDead.code(), removeDead.toString());
    List<Integer> afterDead = new ArrayList<>(afterLeader);
    afterDead.remove(Integer.valueOf(victim));
    awaitVoters(survivors, afterDead, "dead node " + victim + " removed");
    joiners.add(cluster.join(6, via, dir));
    List<Integer> last = new ArrayList<>(afterDead);
    last.add(6);
    awaitVoters(survivors, last, "node 6 replaced node " + victim);

    changesDone.set(true);
    writer.join(Duration.ofSeconds(180).toMillis());
    assertFalse(writer.isAlive(), "the stress runs did not finish");
    for (CliRun run : runs) assertEquals(0, run.code(), run.toString());
    System.out.printf("%d stress runs spanned the changes%n", runs.size());
    assertTrue(runs.size() >= 2, "the load must span the changes: " + runs.size() + " run(s)");

    // Each run's history is linearizable; each key has one writer at a time (a run's thread), so it holds the value of its last
    // acknowledged put, or of a later put whose outcome is unknown, over the runs in order.
    Map<String, Set<String>> acceptable = new TreeMap<>();
    for (Path h : histories) {
      CheckResult check = new LinearizabilityChecker().check(HistoryReader.read(h), Duration.ofSeconds(60));
      assertEquals(Verdict.LINEARIZABLE, check.verdict(), h + ": " + check.describe());
      for (var op : HistoryReader.read(h)) {
        if (op.f() != io.raftkv.check.OpType.PUT) continue;
        if (op.outcome() == io.raftkv.check.Outcome.OK) acceptable.put(op.key(), new HashSet<>(List.of(op.value())));
        else if (op.outcome() == io.raftkv.check.Outcome.INFO) acceptable.computeIfAbsent(op.key(), k -> new HashSet<>()).add(op.value());
      }
    }
    assertTrue(acceptable.size() >= 300, "too few keys written: " + acceptable.size());
    RaftkvClient newest = RaftkvClient.builder(List.of(joiners.get(2).http())).timeout(Duration.ofSeconds(20)).build();
    for (var e : acceptable.entrySet()) {
      String got = newest.get(e.getKey()).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
      assertTrue(e.getValue().contains(got), e.getKey() + " holds '" + got + "' through node 6; acknowledged: " + e.getValue());
    }
    System.out.printf("%d keys checked through node 6 (which joined last); history linearizable%n", acceptable.size());
  }
}
