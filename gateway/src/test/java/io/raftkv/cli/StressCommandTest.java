package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.FakeGateway;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code raftkv stress} run in-process against a fake node, then {@code raftkv check-history} on its history. */
@Timeout(120)
class StressCommandTest {
  @TempDir Path dir;
  private FakeGateway node;

  @BeforeEach
  void start() throws IOException {
    node = new FakeGateway();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void stressPrintsSummariesAndProgressAndWritesACheckableHistory() {
    Path history = dir.resolve("h.jsonl");
    CliRun run = CliRun.of("stress", "--nodes", node.url().toString(), "-t", "2", "-n", "25", "--seed", "7",
        "--history", history.toString());
    assertEquals(ExitCodes.OK, run.code(), run.toString());
    assertTrue(run.out().startsWith("stress: 1 node, 2 threads x 25 ops per test, seed 7, history " + history + "\n"),
        run.out());
    assertTrue(run.out().contains("put test: 2 threads x 25 ops\n  operations  50 (ok 50, errors 0)\n"), run.out());
    assertTrue(run.out().contains("mixed test: 2 threads x 25 ops\n  operations  50 (ok 50, errors 0)\n"), run.out());
    assertTrue(run.err().contains("put: 50/50 ops, ") && run.err().contains("mixed: 50/50 ops, "), run.err());
    assertTrue(Files.exists(history));

    CliRun check = CliRun.of("check-history", history.toString());
    assertEquals(ExitCodes.OK, check.code(), check.toString());
    assertTrue(check.out().startsWith("LINEARIZABLE: 100 operations on 50 keys"), check.out());
  }

  /** A 401 or 403 ends the run at once with exit code 8 and what to do, instead of being counted as errors. */
  @Test
  void refusedCredentialsEndTheRunWithExitCodeEight() {
    node.requireToken("rkv_right", false);
    CliRun none = CliRun.of("stress", "--nodes", node.url().toString(), "-t", "2", "-n", "500");
    assertEquals(ExitCodes.DENIED, none.code(), none.toString());
    assertTrue(none.err().contains("raftkv stress: not authenticated (401): the cluster asks for an API token: give --token TOKEN or set RAFTKV_TOKEN"),
        none.err());
    assertTrue(!none.out().contains("errors"), "no summary of errors: " + none.out());
    assertTrue(node.requests().size() < 100, "the run went on after the refusal: " + node.requests().size() + " requests");
    assertEquals(ExitCodes.OK, CliRun.of("stress", "--nodes", node.url().toString(), "-t", "1", "-n", "5", "--token", "rkv_right").code());

    node.requireToken("rkv_reader", true);
    CliRun reader = CliRun.of("stress", "--nodes", node.url().toString(), "-t", "2", "-n", "500", "--token", "rkv_reader");
    assertEquals(ExitCodes.DENIED, reader.code(), reader.toString());
    assertTrue(reader.err().contains("raftkv stress: not allowed (403): "), reader.err());
  }

  /** 1 KiB values: every put the node received carries exactly 1,024 bytes, the seed's value padded; the history checks. */
  @Test
  void valueBytesSetsTheSizeOfEveryValueWritten() {
    Path history = dir.resolve("kib.jsonl");
    CliRun run = CliRun.of("stress", "--nodes", node.url().toString(), "-t", "2", "-n", "20", "--seed", "11",
        "--value-bytes", "1024", "--history", history.toString());
    assertEquals(ExitCodes.OK, run.code(), run.toString());
    assertTrue(run.out().startsWith("stress: 1 node, 2 threads x 20 ops per test, seed 11, values of 1024 bytes, history "), run.out());
    java.util.List<FakeGateway.Request> puts = node.requests().stream().filter(r -> r.method().equals("PUT")).toList();
    assertTrue(puts.size() >= 40, "the put test alone writes 40: " + puts.size());
    for (FakeGateway.Request put : puts) {
      String value = new String(put.body(), java.nio.charset.StandardCharsets.US_ASCII);
      assertEquals(1024, put.body().length, put.path());
      assertTrue(value.matches("value_[1-9][0-9]{3}\\.{1014}"), value.substring(0, 20));
    }
    CliRun check = CliRun.of("check-history", history.toString());
    assertEquals(ExitCodes.OK, check.code(), check.toString());

    CliRun tiny = CliRun.of("stress", "--nodes", node.url().toString(), "-t", "1", "-n", "5", "--value-bytes", "3");
    assertEquals(ExitCodes.OK, tiny.code(), tiny.toString());
    FakeGateway.Request last = node.requests().stream().filter(r -> r.method().equals("PUT")).reduce((a, b) -> b).orElseThrow();
    assertTrue(new String(last.body(), java.nio.charset.StandardCharsets.US_ASCII).matches("[0-9]{3}"), "the last 3 digits");
  }

  @Test
  void badValueBytesAreUsageErrorsNamingTheRange() {
    for (String bad : new String[] {"0", "-5", String.valueOf(io.raftkv.stress.StressConfig.VALUE_BYTES_MAX + 1)}) {
      CliRun run = CliRun.of("stress", "--nodes", node.url().toString(), "-n", "1", "--value-bytes", bad);
      assertEquals(ExitCodes.USAGE, run.code(), run.toString());
      assertTrue(run.err().contains("value bytes must be in 1..16777216: " + bad), run.err());
    }
    assertEquals(ExitCodes.USAGE, CliRun.of("stress", "--nodes", node.url().toString(), "--value-bytes", "lots").code());
    assertTrue(CliRun.of("stress", "--help").out().contains("--value-bytes=B"));
  }

  @Test
  void exitCodes() throws IOException {
    CliRun capped = CliRun.of("stress", "--nodes", node.url().toString(), "-t", "1", "-n", "1000000",
        "--duration-max", "200ms");
    assertEquals(ExitCodes.UNKNOWN, capped.code(), capped.toString());
    assertTrue(capped.err().contains("stopped by the --duration-max cap"), capped.err());

    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    CliRun unreachable = CliRun.of("stress", "--nodes", "http://127.0.0.1:" + closed, "-t", "1", "-n", "2",
        "--timeout", "100ms");
    assertEquals(ExitCodes.UNREACHABLE, unreachable.code(), unreachable.toString());

    assertEquals(ExitCodes.USAGE, CliRun.of("stress", "--nodes", node.url().toString(), "-t", "0").code());
    assertEquals(ExitCodes.USAGE, CliRun.of("stress", "--nodes", node.url().toString(), "-n", "0").code());
    assertEquals(ExitCodes.USAGE, CliRun.of("stress", "--nodes", node.url().toString(), "-n", "2",
        "--history", dir.resolve("no/such/dir/h.jsonl").toString()).code());
    CliRun help = CliRun.of("stress", "--help");
    assertEquals(ExitCodes.OK, help.code());
    assertTrue(help.out().contains("--duration-max") && help.out().contains("--history"), help.out());
  }
}
