package io.raftkv.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.check.CheckResult;
import io.raftkv.check.HistoryReader;
import io.raftkv.check.LinearizabilityChecker;
import io.raftkv.check.Operation;
import io.raftkv.check.Outcome;
import io.raftkv.check.Verdict;
import io.raftkv.client.FakeGateway;
import io.raftkv.client.RaftkvClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The stress tester against a fake node: counts, output, and the history it records. */
@Timeout(120)
class StressRunnerTest {
  @TempDir Path dir;
  private FakeGateway node;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws IOException {
    node = new FakeGateway();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private StressReport run(int threads, int ops, Duration timeout, Duration cap, Path history) throws IOException {
    RaftkvClient client = RaftkvClient.builder(List.of(node.url())).timeout(timeout)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(20)).random(new Random(5)).build();
    StressConfig config = new StressConfig(threads, ops, 42, cap, Duration.ofSeconds(1), history);
    return new StressRunner(config, client, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run();
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private long requests(String method, String pathPrefix) {
    return node.requests().stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).count();
  }

  @Test
  void bothTestsRunEveryOperationAndPrintTheirSummaries() throws IOException {
    StressReport report = run(3, 100, Duration.ofSeconds(10), Duration.ofMinutes(2), null);

    assertEquals(2, report.phases().size());
    PhaseResult put = report.phases().get(0);
    PhaseResult mixed = report.phases().get(1);
    assertEquals(300, put.ok());
    assertEquals(300, mixed.ok());
    assertEquals(0, report.errors());
    assertFalse(report.stoppedEarly());
    assertEquals(300, put.latency().getTotalCount());

    assertEquals(300, node.size(), "key_<thread>_<op> for 3 threads x 100 ops");
    Pattern value = Pattern.compile("value_[1-9][0-9]{3}");
    for (int t = 0; t < 3; t++) {
      for (int op = 0; op < 100; op++) {
        String v = new String(node.value("key_" + t + "_" + op), StandardCharsets.UTF_8);
        assertTrue(value.matcher(v).matches(), v);
      }
    }
    long gets = requests("GET", "/v1/kv/");
    assertEquals(600, requests("PUT", "/v1/kv/") + gets);
    assertTrue(gets >= 60 && gets <= 120, "about 30% of the mixed test's 300 operations are gets: " + gets);
    assertEquals(3, requests("POST", "/v1/session"), "one session per thread");

    String summary = out();
    assertTrue(summary.startsWith("stress: 1 node, 3 threads x 100 ops per test, seed 42\n"), summary);
    assertTrue(summary.contains("put test: 3 threads x 100 ops\n  operations  300 (ok 300, errors 0)\n"), summary);
    assertTrue(summary.contains("mixed test: 3 threads x 100 ops\n  operations  300 (ok 300, errors 0)\n"), summary);
    assertTrue(Pattern.compile("  elapsed     \\d+ ms\n  throughput  \\d+\\.\\d ops/s\n  latency     p50 \\d+\\.\\d{3} ms, "
        + "p99 \\d+\\.\\d{3} ms, p99\\.9 \\d+\\.\\d{3} ms, max \\d+\\.\\d{3} ms\n").matcher(summary).find(), summary);
    assertTrue(Pattern.compile("(?m)^put: 300/300 ops, \\d+ ops/s, 0 errors, done in \\d+ ms$").matcher(err()).find(),
        err());
    assertTrue(Pattern.compile("(?m)^mixed: 300/300 ops, \\d+ ops/s, 0 errors, done in \\d+ ms$").matcher(err()).find(),
        err());
  }

  @Test
  void theHistoryRecordsEveryOperationAndIsLinearizableDespiteFaults() throws Exception {
    node.unavailableFor(5, 0).dropBeforeApplying(3).dropAfterApplying(5).faultsOnly("/v1/kv/");
    Path file = dir.resolve("history.jsonl");
    StressReport report = run(4, 50, Duration.ofSeconds(10), Duration.ofMinutes(2), file);

    assertEquals(400, report.ok(), "every fault was retried through: " + out());
    List<String> lines = Files.readAllLines(file);
    assertEquals(800, lines.size(), "an invoke and a completion per operation");
    assertTrue(lines.get(0).matches("\\{\"process\":\\d,\"type\":\"invoke\",\"f\":\"put\",\"key\":\"key_\\d_0\","
        + "\"value\":\"value_\\d{4}\",\"time\":\\d+}"), lines.get(0));
    List<Operation> history = HistoryReader.read(file);
    assertEquals(400, history.size());
    assertTrue(history.stream().allMatch(op -> op.outcome() == Outcome.OK));
    assertTrue(history.stream().anyMatch(op -> op.read() != null), "the mixed test's gets read the puts' values");
    CheckResult result = new LinearizabilityChecker(1).check(history, Duration.ofSeconds(60));
    assertEquals(Verdict.LINEARIZABLE, result.verdict(), result.describe());
  }

  @Test
  void failuresAreRecordedAsInfoWhenAWriteMayHaveTakenEffectElseFail() throws Exception {
    node.notMe().faultsOnly("/v1/kv/"); // sessions open; every key-value request gets 503
    Path file = dir.resolve("history.jsonl");
    StressReport report = run(1, 3, Duration.ofMillis(200), Duration.ofMinutes(2), file);

    assertEquals(0, report.ok());
    assertEquals(6, report.errors());
    assertEquals(java.util.Map.of("unavailable", 3L), report.phases().get(0).errors());
    String text = Files.readString(file);
    long puts = text.lines().filter(l -> l.contains("\"f\":\"put\"")).count();
    long infos = text.lines().filter(l -> l.contains("\"type\":\"info\"")).count();
    long fails = text.lines().filter(l -> l.contains("\"type\":\"fail\"")).count();
    assertEquals(puts / 2, infos, "a put answered 503 may have been appended: info\n" + text);
    assertEquals(6 - infos, fails, "a get that failed had no effect: fail\n" + text);
    assertTrue(out().contains("errors 3: unavailable 3"), out());
    CheckResult result = new LinearizabilityChecker(1).check(HistoryReader.read(file), Duration.ofSeconds(60));
    assertEquals(Verdict.LINEARIZABLE, result.verdict(), result.describe());
  }

  @Test
  void theTimeCapStopsTheRun() throws IOException {
    StressReport report = run(1, 1_000_000, Duration.ofSeconds(10), Duration.ofMillis(300), null);

    assertTrue(report.stoppedEarly());
    assertEquals(1, report.phases().size(), "the mixed test did not start");
    PhaseResult put = report.phases().get(0);
    assertTrue(put.stopped());
    assertTrue(put.operations() > 0 && put.operations() < 1_000_000, "ran " + put.operations());
    assertTrue(put.elapsed().compareTo(Duration.ofSeconds(15)) < 0, put.elapsed().toString());
    assertTrue(out().contains("operations  " + put.operations() + " of 1000000 ("), out());
    assertTrue(out().contains("mixed test: skipped, the --duration-max cap"), out());
  }
}
