package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftkv.client.RaftkvClient;
import io.raftkv.node.FatalStop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node whose durable log cannot work stops itself with exit code 3, writes why into
 * {@code STOPPED} in its data directory, and {@code raftkv up} and {@code raftkv status} say which
 * node stopped and why; a node stopped by SIGTERM leaves no such file. The trigger is honest: the
 * journal's RocksDB {@code CURRENT} file, which names its manifest, is overwritten with garbage
 * while the node is stopped, as a disk that corrupted it would.
 */
@Timeout(600)
class NodeFatalStopProcessTest {
  /** A node that cannot open its journal gives up as soon as its durable log's recovery fails; a busy machine is slow to start a JVM. */
  private static final Duration EXIT_LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private ProcessCluster cluster;
  private Process node2;

  @AfterEach
  void stopAll() {
    if (node2 != null) node2.destroyForcibly();
    if (cluster != null) cluster.down();
  }

  private Path dataDir(int id) {
    return dir.resolve("data-" + id);
  }

  /** {@code raftkv node --id 2} as this test's child, its output in {@code out}. */
  private Process startNode2(Path out) throws IOException {
    return new ProcessBuilder(LocalCluster.nodeCommand(2, cluster.clusterFile, cluster.configFile))
        .redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  private static int awaitExit(Process p, Path out, String what) throws Exception {
    if (!p.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
      fail(what + ": still running after " + EXIT_LIMIT.toSeconds() + " s:\n" + Files.readString(out));
    }
    return p.exitValue();
  }

  @Test
  void aNodeWhoseJournalIsCorruptStopsItselfWithExitThreeAndUpAndStatusSayWhy() throws Exception {
    cluster = ProcessCluster.create(dir, 3, "");
    cluster.up();
    RaftkvClient client = cluster.client(1, 2, 3);
    for (int i = 0; i < 20; i++) client.put("k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8));
    cluster.index(2, "appliedIndex");

    // A clean stop: SIGTERM. The JVM ends with 143 (128 + 15) and no STOPPED file is written.
    cluster.local.stop(List.of(2), Duration.ofSeconds(30));
    Path cleanOut = dir.resolve("node-2-clean.out");
    node2 = startNode2(cleanOut);
    ProcessCluster.await(Duration.ofSeconds(60), "node 2 serving and following a leader", () -> cluster.leaderSeenBy(2).isPresent());
    node2.destroy();
    assertEquals(143, awaitExit(node2, cleanOut, "node 2 after SIGTERM"), Files.readString(cleanOut));
    assertFalse(Files.exists(FatalStop.file(dataDir(2))), "a clean stop writes no STOPPED file");

    Path current = dataDir(2).resolve("journal").resolve("CURRENT");
    assertTrue(Files.isRegularFile(current), "RocksDB's CURRENT file in " + current.getParent());
    Files.writeString(current, "garbage, not the name of a manifest\n");

    Path out = dir.resolve("node-2-corrupt.out");
    long start = System.nanoTime();
    node2 = startNode2(out);
    int code = awaitExit(node2, out, "node 2 with a corrupt journal");
    String output = Files.readString(out);
    System.out.printf("node 2 stopped itself in %d ms (JVM start included) with exit %d%n", (System.nanoTime() - start) / 1_000_000, code);
    assertEquals(FatalStop.LOG_FAILED, code, output);
    assertTrue(output.contains("node 2 stops itself, exit code 3: the durable log (/user/raft-log) failed"), output);
    String stopped = Files.readString(FatalStop.file(dataDir(2))).strip();
    System.out.println("STOPPED: " + stopped);
    assertTrue(stopped.startsWith("node 2 stopped itself (exit 3) at "), stopped);
    assertTrue(stopped.contains(": the durable log (/user/raft-log) failed: "), stopped);
    assertTrue(stopped.contains("cannot open the RocksDB database in raftkv.persistence.journal.dir = " + current.getParent()
        + ": org.rocksdb.RocksDBException: CURRENT file corrupted"), stopped);

    // Nodes 1 and 3 still form a majority: status shows the table and says why node 2 is down.
    CliRun status = CliRun.of("status", "-f", cluster.clusterFile.toString(), "--timeout", "30s");
    assertEquals(ExitCodes.OK, status.code(), status.toString());
    assertTrue(status.out().contains("\n" + stopped + "\n") || status.out().endsWith(stopped + "\n"), status.out());

    // up starts node 2 again; it stops itself again, and up names it and the reason.
    CliRun up = CliRun.of("up", "-f", cluster.clusterFile.toString(), "-c", cluster.configFile.toString(), "--run-dir",
        cluster.runDir.toString(), "--timeout", "120s");
    assertEquals(ExitCodes.UNREACHABLE, up.code(), () -> up + "\nnode 2's log:\n" + readQuietly(cluster.local.logFile(2)));
    assertTrue(up.err().contains("raftkv up: node 2 exited: node 2 stopped itself (exit 3) at "), up.err());
    assertTrue(up.err().contains("the durable log (/user/raft-log) failed"), up.err());
    assertTrue(up.err().contains(cluster.local.logFile(2).toString()), up.err());
  }
}
