package io.raftkv.profiling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short, bounded profiling run of a real 3-node cluster (node JVMs on 127.0.0.1, free ports): the
 * run directory is complete, every flame graph holds raftkv's frames, the summary's figures are there
 * and plausible, and every node's recording parses and holds the Raft events. Then a second run
 * attached to a cluster that {@code raftkv up} started, against the first as baseline.
 */
class ProfileCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> EVENTS = List.of("cpu", "alloc", "lock", "wall");

  @TempDir Path dir;

  @Test
  void aShortRunWritesTheWholeReportAndABaselineRunComparesWithIt() throws Exception {
    Path clusterFile = TestClusterFile.write(dir, 3);
    // The test's own TLS directory, for the secure cluster of the second run (the first runs plain).
    Path config = Files.writeString(dir.resolve("node.conf"), "raftkv.tls.dir = \"" + dir.resolve("tls") + "\"\n");
    Path first = dir.resolve("run-1");

    CliRun run = CliRun.of("profile", "--sim", "mixed", "--users", "16", "--duration", "5s", "--warmup", "0", "--top", "10",
        "-f", clusterFile.toString(), "-c", config.toString(), "--out", first.toString());
    assertEquals(0, run.exit(), run.describe());

    for (String f : List.of("index.html", "summary.md", "summary.json", "gatling/index.html", "gatling-unrecorded/index.html")) {
      assertTrue(Files.isRegularFile(first.resolve(f)), f + " is missing; " + run.describe());
    }
    java.util.Set<Integer> allocWithRaftkv = new java.util.TreeSet<>();
    for (int node = 1; node <= 3; node++) {
      for (String f : List.of("node-" + node + ".jfr", "node-" + node + ".collapsed", "node-" + node + ".log")) {
        assertTrue(Files.isRegularFile(first.resolve(f)), f + " is missing");
      }
      for (String event : EVENTS) {
        Path html = first.resolve("node-" + node + "/" + event + ".html");
        Path collapsed = first.resolve("node-" + node + "/" + event + ".collapsed");
        assertTrue(Files.readString(html).contains("<canvas"), html + " is not a flame graph");
        boolean raftkvFrames = Files.readString(collapsed).contains("io/raftkv/");
        // A lock graph holds only stacks that waited for a contended lock. raftkv's hot path takes no lock
        // (bounded lock-free inboxes, actors), so in a few seconds its lock graph may hold Pekko's and the
        // JDK's stacks alone: it must exist and parse. An allocation graph samples every 512 KiB allocated:
        // a follower that replicated few requests in 5 s on a busy machine may have all its samples in
        // Artery's buffers, so raftkv's frames are required in one node's at least (below). The others
        // sample by time and must show raftkv's frames on every node.
        if (event.equals("alloc") && raftkvFrames) allocWithRaftkv.add(node);
        if (!event.equals("lock") && !event.equals("alloc")) assertTrue(raftkvFrames, collapsed + " has no frame of raftkv");
      }
      Map<String, Integer> raftEvents = raftkvEvents(first.resolve("node-" + node + ".jfr"));
      for (String e : List.of("raftkv.Persist", "raftkv.CommitAdvance", "raftkv.Apply")) {
        assertTrue(raftEvents.getOrDefault(e, 0) > 0, "node " + node + "'s recording has no " + e + ": " + raftEvents);
      }
    }

    assertTrue(!allocWithRaftkv.isEmpty(), "no node's allocation graph has a frame of raftkv");

    JsonNode figures = JSON.readTree(first.resolve("summary.json").toFile()).get("figures");
    double throughput = figures.get("load.throughput_rps").asDouble();
    assertTrue(throughput > 10, "throughput " + throughput);
    assertTrue(figures.get("load.unrecorded_throughput_rps").asDouble() > 10);
    assertTrue(figures.has("profilers.overhead_pct"));
    assertEquals(0, figures.get("load.failed").asDouble());
    double p50 = figures.get("load.p50_ms").asDouble();
    double p99 = figures.get("load.p99_ms").asDouble();
    assertTrue(p50 > 0 && p99 >= p50 && p99 < 5_000, "p50 " + p50 + ", p99 " + p99);
    for (int node = 1; node <= 3; node++) {
      String p = "node-" + node + ".";
      assertTrue(figures.get(p + "cpu_samples").asDouble() > 0, p + "cpu_samples");
      double areas = 0;
      double own = 0;
      for (String a : List.of("network_serialization", "storage_persistence", "concurrency", "raft_state_machine", "other")) {
        areas += figures.get(p + "area." + a + "_pct").asDouble();
        own += figures.get(p + "area." + a + "_own_pct").asDouble();
      }
      areas += figures.get(p + "area.jvm_runtime_pct").asDouble();
      assertEquals(100.0, areas, 0.5, "the areas of node " + node + " add up");
      assertEquals(100.0, own, 0.5, "raftkv's own areas of node " + node + " add up");
      assertTrue(figures.get(p + "raftkv.Apply.count").asDouble() > 0);
    }
    String summary = Files.readString(first.resolve("summary.md"));
    JsonNode rules = JSON.readTree(first.resolve("summary.json").toFile()).path("automatedAnalysis");
    for (int node = 1; node <= 3; node++) {
      JsonNode analysis = rules.path("node-" + node);
      assertTrue(analysis.path("error").isMissingNode() || analysis.path("error").isNull(), analysis.toString());
      assertTrue(analysis.path("rules").asInt() > 50 && analysis.path("results").size() == analysis.path("rules").asInt(),
          "JMC's rules on node " + node + ": " + analysis);
    }
    for (String section : List.of("## Load (Gatling)", "## Where the time goes", "The profilers' cost", "Hottest frames",
        "## JDK Mission Control's automated analysis")) {
      assertTrue(summary.contains(section), "summary.md lacks '" + section + "'");
    }
    String index = Files.readString(first.resolve("index.html"));
    assertTrue(index.contains("href=\"node-1/cpu.html\"") && index.contains("href=\"gatling/index.html\""), "index.html links");

    // The same cluster layout, started by 'raftkv up --secure', recorded with --attach against the first run: the load goes
    // over HTTPS with the admin token that up made, and every request of it succeeds.
    Path runDir = dir.resolve("up");
    CliRun up = CliRun.of("up", "--secure", "-f", clusterFile.toString(), "-c", config.toString(), "--run-dir", runDir.toString());
    assertEquals(0, up.exit(), up.describe());
    try {
      Path second = dir.resolve("run-2");
      CliRun again = CliRun.of("profile", "--attach", "--sim", "put", "--users", "4", "--duration", "2s", "--warmup", "0", "--no-overhead", "--events", "cpu",
          "-f", clusterFile.toString(), "-c", config.toString(), "--run-dir", runDir.toString(), "--baseline", first.toString(), "--out", second.toString());
      assertEquals(0, again.exit(), again.describe());
      assertTrue(Files.isRegularFile(second.resolve("diff-node-1-cpu.html")), "no differential flame graph");
      assertFalse(Files.exists(second.resolve("gatling-unrecorded")), "--no-overhead still ran the unrecorded phase");
      String changes = Files.readString(second.resolve("summary.md"));
      assertTrue(changes.contains("## Change against the baseline") && changes.contains("load.throughput_rps"), "no change table");
      // Its nodes serve HTTPS only, and answer 401 to a request without a token: a load that succeeded had both.
      JsonNode secureFigures = JSON.readTree(second.resolve("summary.json").toFile()).path("figures");
      assertTrue(secureFigures.path("load.throughput_rps").asDouble() > 0, "the secure cluster served the load: " + secureFigures);
      assertEquals(0, secureFigures.path("load.failed").asLong(-1), "no request of the load failed: " + secureFigures);
    } finally {
      CliRun.of("down", "-f", clusterFile.toString(), "--run-dir", runDir.toString());
    }
  }

  private static Map<String, Integer> raftkvEvents(Path jfr) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    try (RecordingFile f = new RecordingFile(jfr)) {
      while (f.hasMoreEvents()) {
        RecordedEvent e = f.readEvent();
        String name = e.getEventType().getName();
        if (name.startsWith("raftkv.")) counts.merge(name, 1, Integer::sum);
      }
    }
    return counts;
  }
}
