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
