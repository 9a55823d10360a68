package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.check.CheckResult;
import io.raftkv.check.HistoryReader;
import io.raftkv.check.LinearizabilityChecker;
import io.raftkv.check.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node JVMs started by {@code raftkv up}: writes through the CLI, the leader killed with
 * SIGKILL while a client keeps writing (writes resume through the survivors; the gap is printed),
 * the cluster stopped with {@code down} and started again with {@code up}: every acknowledged write
 * is still there, and the clients' recorded history is linearizable.
 */
class LocalClusterProcessTest {
  @TempDir Path dir;
  private ProcessCluster cluster;

  @AfterEach
  void down() {
    if (cluster != null) cluster.down();
  }

  private String[] withCluster(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("-f", cluster.clusterFile.toString()));
    return all.toArray(String[]::new);
  }

  @Test
  void upKillTheLeaderDownUpAndNothingAcknowledgedIsLost() throws Exception {
    cluster = ProcessCluster.create(dir, 3, "");
    cluster.up();
    assertEquals(0, CliRun.of(withCluster("put", "before", "1")).code());

    // Writes with a recorded history while the leader is killed.
    int leader = cluster.leaderSeenBy(1).orElseThrow();
    Path history = dir.resolve("history.jsonl");
    CliRun[] stress = new CliRun[1];
    Thread writer = new Thread(() -> stress[0] = CliRun.of(withCluster("stress", "-t", "2", "-n", "300", "--seed", "3",
        "--history", history.toString(), "--timeout", "20s")));
    writer.start();
    // Let some writes through, then kill the leader mid-stream.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(history) || Files.size(history) < 10_000) {
      assertTrue(System.nanoTime() < deadline, "no writes recorded");
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // poll the condition every 20 ms until the deadline
    }
    long killed = System.nanoTime();
    cluster.kill(leader);
    Optional<Integer> newLeader = Optional.empty();
    while (newLeader.isEmpty() || newLeader.get() == leader) {
      assertTrue(System.nanoTime() - killed < Duration.ofSeconds(30).toNanos(), "no new leader after the kill");
      newLeader = cluster.leaderSeenBy(leader % 3 + 1);
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
    }
    System.out.printf("failover: node %d killed, node %d leads %d ms later%n", leader, newLeader.get(), (System.nanoTime() - killed) / 1_000_000);
    writer.join(Duration.ofSeconds(180).toMillis());
    assertTrue(!writer.isAlive(), "the stress run did not finish");
    assertEquals(0, stress[0].code(), stress[0].toString());
    System.out.print(stress[0].out());

    // down, then up: every acknowledged write is still there.
    cluster.down();
    cluster.up();
    CliRun before = CliRun.of(withCluster("get", "before"));
    assertEquals("1", before.out(), before.toString());
    CheckResult check = new LinearizabilityChecker().check(HistoryReader.read(history), Duration.ofSeconds(60));
    assertEquals(Verdict.LINEARIZABLE, check.verdict(), check.describe());
    // Each key has one writer (its thread), so it must hold the value of its last acknowledged put,
    // or of a later put whose outcome was unknown.
    java.util.Map<String, java.util.Set<String>> acceptable = new java.util.TreeMap<>();
    for (var op : HistoryReader.read(history)) {
      if (op.f() != io.raftkv.check.OpType.PUT) continue;
      if (op.outcome() == io.raftkv.check.Outcome.OK) acceptable.put(op.key(), new java.util.HashSet<>(List.of(op.value())));
      else if (op.outcome() == io.raftkv.check.Outcome.INFO) acceptable.computeIfAbsent(op.key(), k -> new java.util.HashSet<>()).add(op.value());
    }
    assertTrue(acceptable.size() >= 300, "too few keys written: " + acceptable.size());
    io.raftkv.client.RaftkvClient client = io.raftkv.client.RaftkvClient.builder(cluster.clusterFile).timeout(Duration.ofSeconds(20)).build();
    for (var e : acceptable.entrySet()) {
      String got = client.get(e.getKey()).map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).orElse(null);
      assertTrue(e.getValue().contains(got), e.getKey() + " holds '" + got + "' after down/up; acknowledged: " + e.getValue());
    }
  }
}
