package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's exit codes and help, run in-process. */
class RaftkvCliTest {
  @TempDir Path dir;

  private static final String OK_HISTORY = String.join("\n",
      "{\"process\": 0, \"type\": \"invoke\", \"f\": \"put\", \"key\": \"k\", \"value\": \"1\", \"time\": 1}",
      "{\"process\": 0, \"type\": \"ok\", \"f\": \"put\", \"key\": \"k\", \"value\": \"1\", \"time\": 2}",
      "{\"process\": 1, \"type\": \"invoke\", \"f\": \"get\", \"key\": \"k\", \"time\": 3}",
      "{\"process\": 1, \"type\": \"ok\", \"f\": \"get\", \"key\": \"k\", \"value\": \"1\", \"time\": 4}", "");

  /** The get starts after the put returned, yet reads nothing: a stale read. */
  private static final String STALE_HISTORY = OK_HISTORY.replace("\"value\": \"1\", \"time\": 4", "\"value\": null, \"time\": 4");

  private record Run(int code, String out) {}

  private Run run(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return new Run(RaftkvCli.execute(args), buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
  }

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void checkHistoryAnswersWithTheDocumentedExitCodes() throws IOException {
    assertEquals(ExitCodes.OK, run("check-history", file("ok.jsonl", OK_HISTORY).toString()).code());
    Run stale = run("check-history", file("stale.jsonl", STALE_HISTORY).toString());
    assertEquals(ExitCodes.NO, stale.code());
    assertTrue(stale.out().contains("NOT_LINEARIZABLE") || stale.out().toLowerCase().contains("not linearizable"), stale.out());
    assertEquals(ExitCodes.USAGE, run("check-history", dir.resolve("missing.jsonl").toString()).code());
    assertEquals(ExitCodes.USAGE, run("check-history", file("bad.jsonl", "{not json\n").toString()).code());
  }

  @Test
  void badUsageIsExitCodeTwo() {
    assertEquals(ExitCodes.USAGE, run("check-history").code());
    assertEquals(ExitCodes.USAGE, run("no-such-command").code());
  }

  @Test
  void helpShowsTheCommands() {
    Run help = run("--help");
    assertEquals(ExitCodes.OK, help.code());
    assertTrue(help.out().contains("check-history"), help.out());
    Run sub = run("check-history", "--help");
    assertEquals(ExitCodes.OK, sub.code());
    assertTrue(sub.out().contains("Exit codes"), sub.out());
  }
}
