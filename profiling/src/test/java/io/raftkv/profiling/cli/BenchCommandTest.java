package io.raftkv.profiling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftkv.cli.ExitCodes;
import io.raftkv.profiling.bench.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftkv bench --vs etcd}: bad usage is refused before anything starts; and, where etcd and
 * wrk are installed (.ci/run installs them), a short real run of both systems writes every row, the
 * JSON and the doc section.
 */
class BenchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void badUsageExitsTwoWithTheReason() {
    CliRun other = CliRun.of("bench", "--vs", "redis", "--no-doc");
    assertEquals(ExitCodes.USAGE, other.exit(), other.describe());
    assertTrue(other.err().contains("only etcd"), other.describe());
    CliRun workload = CliRun.of("bench", "--vs", "etcd", "--workloads", "put@0", "--no-doc");
    assertEquals(ExitCodes.USAGE, workload.exit(), workload.describe());
    assertTrue(workload.err().contains("put@0"), workload.describe());
    CliRun keys = CliRun.of("bench", "--vs", "etcd", "--keys", "0", "--no-doc");
    assertEquals(ExitCodes.USAGE, keys.exit(), keys.describe());
    assertTrue(keys.err().contains("--keys"), keys.describe());
    CliRun value = CliRun.of("bench", "--vs", "etcd", "--value-bytes", "0", "--no-doc");
    assertEquals(ExitCodes.USAGE, value.exit(), value.describe());
    assertTrue(value.err().contains("--value-bytes must be 1..1572864, not 0"), value.describe());
  }

  /** Values or a pre-fill the raftkv nodes would refuse (413, 507) are refused before either system starts. */
  @Test
  void aPrefillTheRaftkvNodesWouldRefuseIsBadUsage() throws Exception {
    Path config = Files.writeString(dir.resolve("node.conf"), "raftkv.kv.value-bytes-max = 1 KiB\nraftkv.kv.quota-bytes = 1 MiB\n");
    CliRun large = CliRun.of("bench", "--vs", "etcd", "--value-bytes", "2048", "-c", config.toString(), "--no-doc");
    assertEquals(ExitCodes.USAGE, large.exit(), large.describe());
    assertTrue(large.err().contains("--value-bytes 2048 is over the raftkv nodes' raftkv.kv.value-bytes-max of 1024 bytes"), large.describe());
    CliRun many = CliRun.of("bench", "--vs", "etcd", "--keys", "2000", "--value-bytes", "1024", "-c", config.toString(), "--no-doc");
    assertEquals(ExitCodes.USAGE, many.exit(), many.describe());
    assertTrue(many.err().contains("--keys 2000 x (16 + 1024) bytes = 2080000 bytes is over the raftkv nodes' raftkv.kv.quota-bytes"),
        many.describe());
    assertTrue(!many.err().contains("writing"), "nothing started: " + many.describe());
  }

  /** A bare '%' in a picocli description is a format error: the help then comes with warnings. */
  @Test
  void helpOfBenchAndProfileShowsPercentagesWithoutWarnings() {
    for (String command : new String[] {"bench", "profile"}) {
      CliRun help = CliRun.of(command, "--help");
      assertEquals(0, help.exit(), help.describe());
      assertTrue(help.out().contains("(70% put"), help.describe());
      assertTrue(!help.out().contains("WARN") && !help.err().contains("WARN"), help.describe());
    }
  }

  static boolean etcdAndWrkInstalled() {
    return Tools.find("etcd").isPresent() && Tools.find("wrk").isPresent();
  }

  /** With --secure a third system, raftkv with TLS and API tokens, runs every workload too, and a second table sets it against plain raftkv. */
  @Test
  @EnabledIf("etcdAndWrkInstalled")
  void aShortRunMeasuresEverySystemOnEveryWorkload() throws Exception {
    Path clusterFile = TestClusterFile.write(dir, 3, io.raftkv.profiling.bench.BenchSettings.SECURE_PORT_OFFSET);
    Path config = Files.writeString(dir.resolve("node.conf"), "\n");
    Path doc = Files.writeString(dir.resolve("PERFORMANCE.md"), "# Performance\n\nolder steps\n");
    Path json = dir.resolve("bench.json");
    CliRun run = CliRun.of("bench", "--vs", "etcd", "--duration", "1s", "--warmup", "0", "--workloads", "put@1,get@8,mixed@8", "--keys", "200",
        "-f", clusterFile.toString(), "-c", config.toString(), "--out", dir.resolve("run").toString(), "--json", json.toString(),
        "--doc", doc.toString(), "--secure");
    assertEquals(0, run.exit(), run.describe());

    JsonNode rows = JSON.readTree(json.toFile());
    Set<String> seen = new HashSet<>();
    for (JsonNode r : rows) {
      String id = r.get("workload").asText() + " " + r.get("system").asText();
      seen.add(id);
      assertTrue(r.get("throughput").asDouble() > 0, id + ": " + r);
      assertTrue(r.get("p50_ms").asDouble() > 0 && r.get("p50_ms").asDouble() <= r.get("p99_ms").asDouble(), id + ": " + r);
      assertEquals(3, r.get("rss_mb").size(), id + ": " + r);
      for (JsonNode m : r.get("rss_mb")) assertTrue(m.asDouble() > 1, id + ": " + r);
      assertEquals(0, r.get("errors").asLong(), id + ": " + r);
    }
    assertEquals(Set.of("put@1 raftkv", "put@1 etcd", "get@8 raftkv", "get@8 etcd", "mixed@8 raftkv", "mixed@8 etcd",
        "put@1 raftkv-secure", "get@8 raftkv-secure", "mixed@8 raftkv-secure"), seen);
    // The secure cluster served HTTPS and took the token on every request: its rows are without errors above, and its nodes were asked over https.
    assertTrue(run.err().contains("raftkv-secure at https://127.0.0.1:"), run.describe());

    String text = Files.readString(doc);
    assertTrue(text.startsWith("# Performance\n\nolder steps\n"), text);
    assertTrue(text.contains("| put@1 |") && text.contains("| mixed@8 |") && text.contains("raftkv/etcd"), text);
    assertTrue(text.contains("fsync on for both") && text.contains("cores"), text);
    assertTrue(text.contains("Command: `./raftkv bench --vs etcd --duration 1s"), text);
    assertTrue(run.out().contains("| get@8 |"), run.describe());
    assertTrue(text.contains("| workload | plain req/s | secure req/s | secure/plain |"), text);
    assertTrue(run.out().contains("raftkv-secure (TLS and API tokens) against plain raftkv:"), run.describe());
    assertTrue(Files.isRegularFile(dir.resolve("run/bench.json")));
  }

  /**
   * One at a time: raftkv is stopped before etcd starts, and with --keep-data the cluster raftkv
   * ran starts again from its data with 'raftkv up' and serves the pre-filled keys (values of
   * 2 KiB here, over the 1 KiB of a default run).
   */
  @Test
  @EnabledIf("etcdAndWrkInstalled")
  @Tag("slow") // the slower tier, which .ci/run runs for this module too
  void oneAtATimeRunsEachSystemAloneAndKeptDataStartsAgain() throws Exception {
    Path clusterFile = TestClusterFile.write(dir, 3);
    Path config = Files.writeString(dir.resolve("node.conf"), "\n");
    Path json = dir.resolve("bench.json");
    Path runDir = dir.resolve("run");
    CliRun run = CliRun.of("bench", "--vs", "etcd", "--duration", "1s", "--warmup", "0", "--workloads", "put@8", "--keys", "100",
        "--value-bytes", "2048", "--one-at-a-time", "--keep-data", "-f", clusterFile.toString(), "-c", config.toString(), "--out",
        runDir.toString(), "--json", json.toString(), "--no-doc");
    assertEquals(0, run.exit(), run.describe());
    Set<String> seen = new HashSet<>();
    for (JsonNode r : JSON.readTree(json.toFile())) {
      seen.add(r.get("workload").asText() + " " + r.get("system").asText());
      assertTrue(r.get("throughput").asDouble() > 0, r.toString());
    }
    assertEquals(Set.of("put@8 raftkv", "put@8 etcd"), seen);
    int raftkvStopped = run.err().indexOf("raftkv: stopping");
    int etcdStarted = run.err().indexOf("etcd member 1 starting");
    assertTrue(raftkvStopped > 0 && etcdStarted > raftkvStopped, run.describe());

    Path kept = runDir.resolve("raftkv");
    Path keptClusterFile = kept.resolve("cluster.conf");
    assertTrue(run.err().contains("./raftkv up -f " + keptClusterFile), run.describe());
    CliRun up = CliRun.of("up", "-f", keptClusterFile.toString(), "-c", config.toString(), "--run-dir", kept.toString());
    try {
      assertEquals(0, up.exit(), up.describe());
      CliRun get = CliRun.of("get", "-f", keptClusterFile.toString(), "k000000000000042");
      assertEquals(0, get.exit(), get.describe());
      assertTrue(get.out().matches("[a-zA-Z0-9]{2048}"), get.describe());
    } finally {
      CliRun.of("down", "-f", keptClusterFile.toString(), "--run-dir", kept.toString());
    }
  }
}
