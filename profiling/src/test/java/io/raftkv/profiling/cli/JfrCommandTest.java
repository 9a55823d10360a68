package io.raftkv.profiling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftkv.cli.RaftkvCli;
import io.raftkv.profiling.analysis.TestRecordings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code raftkv jfr} through the real CLI (the command is found with ServiceLoader). */
class JfrCommandTest {

  @Test
  void theCliHasTheCommand() {
    assertTrue(RaftkvCli.commandLine().getSubcommands().containsKey("jfr"));
  }

  @Test
  void printsEverySectionOfARecording() {
    Path file = TestRecordings.jdkRecording();
    CliRun run = CliRun.of("jfr", file.toString(), "--top", "5");
    assertEquals(0, run.exit(), run::describe);
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
    CliRun run = CliRun.of("jfr", TestRecordings.jdkRecording().toString(), "--json");
    assertEquals(0, run.exit(), run::describe);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertTrue(json.path("cpu").path("samples").asLong() > 0, run.out());
    assertTrue(json.path("fsync").path("count").asLong() >= 5, run.out());
    assertEquals("raftkv.TestEvent", json.path("raftkvEvents").get(0).path("name").asText());
    assertEquals(6, json.path("raftkvEvents").get(0).path("entries").asLong());
  }

  @Test
  void rulesAddJmcsAutomatedAnalysis() throws IOException {
    String file = TestRecordings.jdkRecording().toString();
    CliRun markdown = CliRun.of("jfr", file, "--rules");
    assertEquals(0, markdown.exit(), markdown::describe);
    String out = markdown.out();
    int section = out.indexOf("\n### JDK Mission Control's automated analysis\n");
    assertTrue(section > out.indexOf("\n### Event types\n"), out);
    // the workload's System.gc() is a full collection, which JMC warns about
    assertTrue(out.substring(section).contains("(`FullGc`) | warning |"), out);

    CliRun json = CliRun.of("jfr", file, "--rules", "--json", "--rules-timeout", "2m");
    assertEquals(0, json.exit(), json::describe);
    JsonNode tree = new ObjectMapper().readTree(json.out());
    assertTrue(tree.path("cpu").path("samples").asLong() > 0, json.out());
    JsonNode analysis = tree.path("automatedAnalysis");
    assertEquals(analysis.path("rules").asInt(), analysis.path("results").size(), json.out());
    boolean fullGc = false;
    for (JsonNode rule : analysis.path("results")) {
      fullGc |= rule.path("id").asText().equals("FullGc") && rule.path("verdict").asText().equals("WARNING");
    }
    assertTrue(fullGc, json.out());
    // without --rules, no analysis
    assertTrue(new ObjectMapper().readTree(CliRun.of("jfr", file, "--json").out()).path("automatedAnalysis").isMissingNode());
  }

  @Test
  void aMissingFileIsBadInput() throws IOException {
    Path missing = TestRecordings.testDir().resolve("no-such-recording.jfr");
    CliRun run = CliRun.of("jfr", missing.toString());
    assertEquals(2, run.exit(), run::describe);
    assertTrue(run.err().contains("no such file"), run::describe);
    assertEquals("", run.out());
  }

  @Test
  void aFileThatIsNotJfrIsBadInput() throws IOException {
    Path text = Files.writeString(Files.createTempFile(TestRecordings.testDir(), "text", ".jfr"), "not a recording\n");
    CliRun run = CliRun.of("jfr", text.toString());
    assertEquals(2, run.exit(), run::describe);
    assertTrue(run.err().contains("not a readable JFR recording"), run::describe);
    Path empty = Files.createTempFile(TestRecordings.testDir(), "empty", ".jfr");
    assertEquals(2, CliRun.of("jfr", empty.toString()).exit());
  }

  @Test
  void aDirectoryOrABadTopIsBadInput() throws IOException {
    assertEquals(2, CliRun.of("jfr", TestRecordings.testDir().toString()).exit());
    assertEquals(2, CliRun.of("jfr", TestRecordings.jdkRecording().toString(), "--top", "0").exit());
    assertEquals(2, CliRun.of("jfr", TestRecordings.jdkRecording().toString(), "--top", "many").exit());
    assertEquals(2, CliRun.of("jfr").exit());
    assertEquals(2, CliRun.of("jfr", TestRecordings.jdkRecording().toString(), "--rules-timeout", "0").exit());
  }

  @Test
  void helpExplainsTheSections() {
    CliRun run = CliRun.of("jfr", "--help");
    assertEquals(0, run.exit(), run::describe);
    for (String word : List.of("FILE", "--top", "--json", "jdk.ExecutionSample", "jdk.FileForce", "raftkv.*", "Exit codes")) {
      assertTrue(run.out().contains(word), () -> word + " missing in\n" + run.out());
    }
  }
}
