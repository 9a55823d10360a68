package io.raftkv.profiling.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.cli.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real one-node raftkv cluster (a node JVM on 127.0.0.1, artery port 25531, HTTP port 8091: not the
 * defaults 25521/8081, which a running {@code ./raftkv up} may hold) loaded by real Gatling JVMs
 * through {@link GatlingRunner}. Needs the Gatling module built (the reactor builds gatling/ before
 * profiling/).
 */
class GatlingRunnerProcessTest {
  private static final int HTTP_PORT = 8091;
  private static final String URL = "http://127.0.0.1:" + HTTP_PORT;
  /** Nothing listens there (the cluster has one node). */
  private static final String DEAD_URL = "http://127.0.0.1:8093";

  @TempDir static Path dir;
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    Path clusterFile = Files.writeString(dir.resolve("cluster.conf"), "raftkv.cluster.nodes = [\n"
        + "  { id = 1, host = \"127.0.0.1\", artery-port = 25531, http-port = " + HTTP_PORT + ", data-dir = \"" + dir.resolve("data-1") + "\" }\n"
        + "]\n");
    Path configFile = Files.writeString(dir.resolve("node.conf"), "\n");
    cluster = new LocalCluster(clusterFile, configFile, dir.resolve("run"));
    cluster.start(1);
    await(Duration.ofSeconds(60), "node 1 knows a leader (log: " + cluster.logFile(1) + ")", () -> cluster.agreedLeader().isPresent());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) cluster.stop(List.of(1), Duration.ofSeconds(15));
  }

  private static void await(Duration limit, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // poll the condition until the deadline
    }
  }

  @Test
  void aShortMixedRunSucceedsAndItsReportIsRead() throws Exception {
    List<String> progress = new CopyOnWriteArrayList<>();
    GatlingOptions o = GatlingOptions.defaults("mixed").withUsers(4).withDuration(Duration.ofSeconds(3)).withUrls(List.of(URL));
    long start = System.nanoTime();
    GatlingRun run = new GatlingRunner(RaftkvHome.root(), Duration.ofSeconds(60)).run(o, dir.resolve("results"), progress::add);
    System.out.printf("mixed run through GatlingRunner: %d ms; progress:%n", (System.nanoTime() - start) / 1_000_000);
    progress.forEach(line -> System.out.println("  " + line));
    System.out.println("  " + run.stats().summary());

    assertTrue(run.succeeded(), () -> "exit code " + run.exitCode() + ", see " + run.consoleLog());
    assertTrue(Files.isRegularFile(run.indexHtml()), run.indexHtml().toString());
    assertTrue(run.reportDir().startsWith(dir.resolve("results")), run.reportDir().toString());
    GatlingStats.RequestStats global = run.stats().global();
    assertTrue(global.requests() > 0, run.stats().toString());
    assertEquals(0, global.ko(), run.stats().toString());
    assertEquals(global.requests(), global.ok());
    assertTrue(global.meanRequestsPerSecond() > 0, run.stats().toString());
    GatlingStats.RequestStats put = run.stats().request("put").orElseThrow(() -> new AssertionError("no put in " + run.stats()));
    long gets = run.stats().request("get").map(GatlingStats.RequestStats::requests).orElse(0L);
    assertEquals(global.requests(), put.requests() + gets, run.stats().toString());
    assertEquals(run.stats(), GatlingStats.read(run.reportDir().resolve(GatlingStats.JSON_FILE)));
    assertTrue(progress.stream().anyMatch(l -> l.matches("\\d+ s: [\\d,]+ requests, 0 failed.*")), progress.toString());
  }

  @Test
  void failedRequestsFailTheAssertionButStillGiveAReport() throws Exception {
    List<String> progress = new CopyOnWriteArrayList<>();
    GatlingOptions o = GatlingOptions.defaults("put").withUsers(2).withDuration(Duration.ofSeconds(1)).withUrls(List.of(DEAD_URL));
    GatlingRun run = new GatlingRunner(RaftkvHome.root(), Duration.ofSeconds(60)).run(o, dir.resolve("results-dead"), progress::add);

    assertTrue(run.assertionsFailed(), () -> "exit code " + run.exitCode() + ", see " + run.consoleLog());
    assertTrue(run.stats().global().ko() > 0, run.stats().toString());
    assertEquals(0, run.stats().global().ok(), run.stats().toString());
    assertTrue(progress.stream().anyMatch(l -> l.startsWith("assertion failed: ")), progress.toString());
  }

  @Test
  void aCrashedRunIsAClearErrorWithGatlingsLastWords() {
    GatlingOptions o = GatlingOptions.defaults("read-heavy").withUsers(2).withKeySpace(10).withDuration(Duration.ofSeconds(1))
        .withUrls(List.of(DEAD_URL));
    String message = assertThrows(IllegalStateException.class,
        () -> new GatlingRunner(RaftkvHome.root(), Duration.ofSeconds(60)).run(o, dir.resolve("results-crash"), line -> {})).getMessage();
    assertTrue(message.startsWith("Gatling failed (exit code 1, no report)") && message.contains("pre-fill of 10 keys failed"), message);
  }

  @Test
  void aRunLongerThanItsBoundIsKilled() {
    // No grace: the bound is the 1 s duration, shorter than Gatling's own start.
    Path results = dir.resolve("results-killed");
    GatlingOptions o = GatlingOptions.defaults("put").withUsers(1).withDuration(Duration.ofSeconds(1)).withUrls(List.of(DEAD_URL));
    String message = assertThrows(IllegalStateException.class,
        () -> new GatlingRunner(RaftkvHome.root(), Duration.ZERO).run(o, results, line -> {})).getMessage();
    assertTrue(message.startsWith("Gatling ran longer than 1 s (duration 1 s + grace) and was killed"), message);
    assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(results.toString())),
        "the Gatling JVM is gone");
  }
}
