package io.raftkv.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /debug/*} on a real one-node cluster bound to 127.0.0.1, where they are on by default:
 * profiles in both formats, flight recordings that JFR's own reader parses, one capture at a time,
 * and the 400s of bad parameters. async-profiler may be refused by the machine (a container without
 * perf_events and timers); then a profile must answer 503 with the reason, and these tests check
 * that answer instead of the graph.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebugEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A line of collapsed stacks: frames separated by ';', then a space and the sample count. */
  private static final Pattern COLLAPSED_LINE = Pattern.compile("^\\S.*[^ ] (\\d+)$");

  @TempDir static Path dir;
  private OneNodeGateway node;

  @BeforeAll
  void start() throws Exception {
    node = OneNodeGateway.start(dir, "");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  void aCollapsedCpuProfileHasStacksWithCounts() throws Exception {
    HttpResponse<String> answer = whileWriting(node.getAsync("/debug/profile?seconds=1&format=collapsed"));
    if (!profiled(answer)) return;
    assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), answer.headers().toString());
    assertTrue(answer.headers().firstValue(DebugRoutes.PROFILE_EVENT).isPresent(), "the answer says which engine sampled");
    List<String> lines = answer.body().lines().toList();
    assertFalse(lines.isEmpty(), "a second of a node taking writes has samples");
    long samples = 0;
    for (String line : lines) {
      var m = COLLAPSED_LINE.matcher(line);
      assertTrue(m.matches(), "not a collapsed stack: " + line);
      samples += Long.parseLong(m.group(1));
    }
    assertTrue(samples > 0, "samples counted");
    assertTrue(lines.stream().anyMatch(l -> l.contains("java/") || l.contains("org/apache/pekko/")), "Java frames in the stacks: " + lines.get(0));
  }

  @Test
  void aProfileIsAFlameGraphPageByDefault() throws Exception {
    HttpResponse<String> answer = whileWriting(node.getAsync("/debug/profile?seconds=1"));
    if (!profiled(answer)) return;
    assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), answer.headers().toString());
    String page = answer.body();
    assertTrue(page.startsWith("<!DOCTYPE html>"), page.substring(0, Math.min(200, page.length())));
    assertTrue(page.contains("<canvas"), "async-profiler's flame graph draws on a canvas");
    assertTrue(page.contains("raftkv node 1 - "), "titled with the node and the engine");
  }

  /**
   * The other events, as collapsed stacks. Wall-clock samples always see the node's threads (its
   * Raft ticks, Pekko's dispatchers: mostly waiting); an idle second may hold no allocation sample
   * or contended lock, and then the answer is empty, not an error.
   */
  @ParameterizedTest
  @CsvSource({"wall, true", "alloc, false", "lock, false"})
  void theOtherEventsAnswerCollapsedStacks(String event, boolean samplesCertain) throws Exception {
    HttpResponse<String> answer = node.getAsync("/debug/profile?event=" + event + "&seconds=1&format=collapsed").join();
    if (!profiled(answer)) return;
    assertEquals(event, answer.headers().firstValue(DebugRoutes.PROFILE_EVENT).orElse(""));
    assertTrue(answer.body().lines().allMatch(l -> COLLAPSED_LINE.matcher(l).matches()), answer.body());
    if (samplesCertain) assertFalse(answer.body().isEmpty(), "samples of " + event);
  }

  @Test
  void aRecordingOfTheNextSecondParsesAndHasEvents() throws Exception {
    HttpResponse<byte[]> answer = node.getBytes("/debug/jfr?seconds=1");
    assertEquals(200, answer.statusCode(), new String(answer.body()));
    assertEquals("application/octet-stream", answer.headers().firstValue("Content-Type").orElse(""));
    assertTrue(answer.headers().firstValue("Content-Disposition").orElse("").contains("node-1-next.jfr"));
    Map<String, Long> types = eventTypes(answer.body());
    assertTrue(types.containsKey("jdk.ExecutionSample") || types.containsKey("jdk.CPULoad"), "a second of the profile settings: " + types);
    assertTrue(recordingNames(answer.body()).contains("raftkv /debug/jfr (node 1)"), "the recording is the one this request made");
  }

  @Test
  void theRecentRecordingParsesAndIsTheContinuousOne() throws Exception {
    HttpResponse<byte[]> answer = node.getBytes("/debug/jfr/recent");
    assertEquals(200, answer.statusCode(), new String(answer.body()));
    assertEquals("application/octet-stream", answer.headers().firstValue("Content-Type").orElse(""));
    Map<String, Long> types = eventTypes(answer.body());
    assertFalse(types.isEmpty());
    assertTrue(recordingNames(answer.body()).contains("raftkv recent (node 1)"), "the node's continuous recording, running since it started");
    // Its settings hold raftkv's per-batch events to the 20 ms rule instead of recording every batch.
    assertTrue(activeSettings(answer.body()).contains("raftkv.Persist threshold=20 ms"), "the per-batch events' threshold is set");
  }

  @Test
  void aSecondProfileWhileOneRunsIsRefusedWith409() throws Exception {
    CompletableFuture<HttpResponse<String>> first = node.getAsync("/debug/profile?seconds=3&format=collapsed");
    CompletableFuture<HttpResponse<String>> second = node.getAsync("/debug/profile?seconds=3&format=collapsed");
    List<HttpResponse<String>> both = List.of(first.join(), second.join());
    List<Integer> statuses = both.stream().map(HttpResponse::statusCode).sorted().toList();
    if (statuses.contains(503)) {
      both.stream().filter(a -> a.statusCode() == 503).forEach(this::profiled);
      return;
    }
    assertEquals(List.of(200, 409), statuses, "one profile at a time: " + both.stream().map(HttpResponse::body).toList());
    HttpResponse<String> refused = both.stream().filter(a -> a.statusCode() == 409).findFirst().orElseThrow();
    JsonNode error = jsonError(refused);
    assertEquals("busy", error.get("error").asText());
    assertTrue(error.get("detail").asText().contains("cpu profile of 3 s"), error.toString());
  }

  @Test
  void aSecondRecordingWhileOneRunsIsRefusedWith409() throws Exception {
    CompletableFuture<HttpResponse<String>> first = node.getAsync("/debug/jfr?seconds=3");
    CompletableFuture<HttpResponse<String>> second = node.getAsync("/debug/jfr?seconds=3");
    List<Integer> statuses = Stream.of(first.join(), second.join()).map(HttpResponse::statusCode).sorted().toList();
    assertEquals(List.of(200, 409), statuses);
  }

  @Test
  void badParametersAre400WithWhatIsAllowed() throws Exception {
    Map<String, String> cases = Map.of(
        "/debug/profile?event=bogus", "event must be one of cpu, alloc, lock, wall",
        "/debug/profile?seconds=0", "seconds must be between 1 and 50",
        "/debug/profile?seconds=301", "seconds must be between 1 and 50",
        // Over the connection's idle timeout (60 s by default), the connection would close under the answer.
        "/debug/profile?seconds=55", "pekko.http.server.idle-timeout is 60 s",
        "/debug/profile?seconds=ten", "seconds must be a whole number",
        "/debug/profile?format=svg", "format must be html or collapsed",
        "/debug/jfr?seconds=-1", "seconds must be between 1 and 50",
        "/debug/jfr?settings=everything", "settings must be profile or default");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> answer = node.call("GET", c.getKey(), null);
      assertEquals(400, answer.statusCode(), c.getKey() + ": " + answer.body());
      JsonNode error = jsonError(answer);
      assertEquals("bad request", error.get("error").asText());
      assertTrue(error.get("detail").asText().contains(c.getValue()), c.getKey() + ": " + error);
    }
  }

  @Test
  void aNodeWithTheEndpointsOffAnswers403SayingHowToTurnThemOn(@TempDir Path offDir) throws Exception {
    try (OneNodeGateway off = OneNodeGateway.start(offDir, "raftkv.debug.enabled = off\n")) {
      for (String path : List.of("/debug/profile?seconds=1", "/debug/jfr?seconds=1", "/debug/jfr/recent")) {
        HttpResponse<String> answer = off.call("GET", path, null);
        assertEquals(403, answer.statusCode(), path + ": " + answer.body());
        JsonNode error = jsonError(answer);
        assertEquals("debug endpoints off", error.get("error").asText());
        assertTrue(error.get("detail").asText().contains("raftkv.debug.enabled"), error.toString());
      }
    }
  }

  /** Keeps the node busy with writes until {@code answer} arrives, so that a CPU profile has something to see. */
  private HttpResponse<String> whileWriting(CompletableFuture<HttpResponse<String>> answer) throws Exception {
    int i = 0;
    while (!answer.isDone()) {
      assertEquals(204, node.call("PUT", "/v1/kv/profiled-" + (i++ % 100), "value " + i).statusCode());
    }
    return answer.join();
  }

  /**
   * Whether the profile was taken. If async-profiler could not run here, the answer must be a 503
   * that says why (printed, so the test's output shows what this machine refused); anything else fails.
   */
  private boolean profiled(HttpResponse<String> answer) {
    if (answer.statusCode() == 200) return true;
    if (answer.statusCode() != 503) fail("expected 200, or 503 where async-profiler cannot run: " + answer.statusCode() + " " + answer.body());
    try {
      JsonNode error = jsonError(answer);
      assertEquals("profiler unavailable", error.get("error").asText());
      assertTrue(error.get("detail").asText().contains("async-profiler"), error.toString());
      System.out.println("async-profiler cannot run on this machine; checked its 503 instead: " + error.get("detail").asText());
    } catch (IOException e) {
      fail(e);
    }
    return false;
  }

  private static JsonNode jsonError(HttpResponse<String> answer) throws IOException {
    assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""), answer.body());
    JsonNode error = JSON.readTree(answer.body());
    assertTrue(error.hasNonNull("error") && error.hasNonNull("detail"), answer.body());
    return error;
  }

  /** How many events of each type a recording holds, read with JFR's own parser. */
  private static Map<String, Long> eventTypes(byte[] recording) throws IOException {
    return events(recording).stream().collect(Collectors.groupingBy(e -> e.getEventType().getName(), Collectors.counting()));
  }

  private static List<String> recordingNames(byte[] recording) throws IOException {
    return events(recording).stream().filter(e -> e.getEventType().getName().equals("jdk.ActiveRecording"))
        .map(e -> e.getString("name")).toList();
  }

  /** {@code event setting=value} for every jdk.ActiveSetting the recording holds, the event named from the recording's own metadata. */
  private static List<String> activeSettings(byte[] recording) throws IOException {
    Path file = written(recording);
    try (RecordingFile reader = new RecordingFile(file)) {
      Map<Long, String> names = reader.readEventTypes().stream().collect(Collectors.toMap(EventType::getId, EventType::getName, (a, b) -> a));
      List<String> settings = new ArrayList<>();
      while (reader.hasMoreEvents()) {
        RecordedEvent e = reader.readEvent();
        if (!e.getEventType().getName().equals("jdk.ActiveSetting")) continue;
        settings.add(names.getOrDefault(e.getLong("id"), "?") + " " + e.getString("name") + "=" + e.getString("value"));
      }
      return settings;
    } finally {
      Files.delete(file);
    }
  }

  private static List<RecordedEvent> events(byte[] recording) throws IOException {
    Path file = written(recording);
    try {
      return RecordingFile.readAllEvents(file);
    } finally {
      Files.delete(file);
    }
  }

  private static Path written(byte[] recording) throws IOException {
    Path file = Files.createTempFile(dir, "recording", ".jfr");
    Files.write(file, recording);
    return file;
  }
}
