package io.raftkv.profiling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftkv.cli.RaftkvCli;
import io.raftkv.profiling.analysis.TestRecordings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code raftkv jfr} through the real CLI (the command is found with ServiceLoader). */
class JfrCommandTest {

  record Run(int code, String out, String err) {}

  static synchronized Run run(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = RaftkvCli.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  @Test
  void theCliHasTheCommand() {
    assertTrue(RaftkvCli.commandLine().getSubcommands().containsKey("jfr"));
  }

  @Test
  void printsEverySectionOfARecording() {
    Path file = TestRecordings.jdkRecording();
    Run run = run("jfr", file.toString(), "--top", "5");
    assertEquals(0, run.code(), run::toString);
    String out = run.out();
    assertTrue(out.startsWith("## " + file.getFileName() + "\n"), out);
    for (String section : List.of("### CPU samples", "### Allocation", "### Wall clock", "### Locks", "### GC",
        "### fsync", "### Socket I/O", "### raftkv events", "### Event types")) {
      assertTrue(out.contains("\n" + section + "\n"), () -> section + " missing in\n" + out);
    }
    assertTrue(out.contains("(`jdk.ExecutionSample`)"), out);
    assertTrue(out.contains("`io.raftkv.profiling.analysis.TestWorkload.spin`"), out);
    assertTrue(out.contains("`io.raftkv.profiling.analysis.TestWorkload$ContendedMonitor`"), out);
    assertTrue(out.contains("| `raftkv.TestEvent` | 3 | 6 | 600 B |"), out);
    assertTrue(out.contains("| `jdk.GarbageCollection` |"), out);
    assertTrue(out.contains("`jdk.FileForce` events"), out);
    // --top 5: no list is longer
    assertTrue(!out.contains("\n| 6 | `"), out);
  }

  @Test
  void jsonHasTheSameFigures() throws IOException {
    Run run = run("jfr", TestRecordings.jdkRecording().toString(), "--json");
    assertEquals(0, run.code(), run::toString);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertTrue(json.path("cpu").path("samples").asLong() > 0, run.out());
    assertTrue(json.path("fsync").path("count").asLong() >= 5, run.out());
    assertEquals("raftkv.TestEvent", json.path("raftkvEvents").get(0).path("name").asText());
    assertEquals(6, json.path("raftkvEvents").get(0).path("entries").asLong());
  }

  @Test
  void aMissingFileIsBadInput() throws IOException {
    Path missing = TestRecordings.testDir().resolve("no-such-recording.jfr");
    Run run = run("jfr", missing.toString());
    assertEquals(2, run.code(), run::toString);
    assertTrue(run.err().contains("no such file"), run::toString);
    assertEquals("", run.out());
  }

  @Test
  void aFileThatIsNotJfrIsBadInput() throws IOException {
    Path text = Files.writeString(Files.createTempFile(TestRecordings.testDir(), "text", ".jfr"), "not a recording\n");
    Run run = run("jfr", text.toString());
    assertEquals(2, run.code(), run::toString);
    assertTrue(run.err().contains("not a readable JFR recording"), run::toString);
    Path empty = Files.createTempFile(TestRecordings.testDir(), "empty", ".jfr");
    assertEquals(2, run("jfr", empty.toString()).code());
  }

  @Test
  void aDirectoryOrABadTopIsBadInput() throws IOException {
    assertEquals(2, run("jfr", TestRecordings.testDir().toString()).code());
    assertEquals(2, run("jfr", TestRecordings.jdkRecording().toString(), "--top", "0").code());
    assertEquals(2, run("jfr", TestRecordings.jdkRecording().toString(), "--top", "many").code());
    assertEquals(2, run("jfr").code());
  }

  @Test
  void helpExplainsTheSections() {
    Run run = run("jfr", "--help");
    assertEquals(0, run.code(), run::toString);
    for (String word : List.of("FILE", "--top", "--json", "jdk.ExecutionSample", "jdk.FileForce", "raftkv.*", "Exit codes")) {
      assertTrue(run.out().contains(word), () -> word + " missing in\n" + run.out());
    }
  }
}
