package io.raftkv.profiling.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link AreaMapping} on the stacks of a real {@code raftkv profile} run (3 nodes, async-profiler's cpu,
 * alloc, lock and wall with JFR), kept as test resources: {@code area-stacks.tsv}, one stack per rule
 * that decided a sample of that run with the area it belongs to, checked by hand; and
 * {@code leader-cpu-samples.tsv.gz}, every CPU sample of the leader's recorded phase.
 */
class RecordedStacksTest {

  /** One line of a fixture: a first column (an area, or a sample count), the thread, the frames root first. */
  private record Line(String first, String thread, List<String> rootToLeaf) {}

  private static List<Line> read(String resource) throws IOException {
    InputStream in = RecordedStacksTest.class.getResourceAsStream(resource);
    assertTrue(in != null, "no test resource " + resource);
    if (resource.endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    List<Line> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] columns = line.split("\t", 3);
        lines.add(new Line(columns[0], columns[1], columns[2].isEmpty() ? List.of() : List.of(columns[2].split(";"))));
      }
    }
    return lines;
  }

  @Test
  void everyRecordedStackLandsInItsArea() throws IOException {
    List<Line> stacks = read("area-stacks.tsv");
    assertTrue(stacks.size() >= 40, "area-stacks.tsv holds " + stacks.size() + " stacks");
    List<String> wrong = new ArrayList<>();
    for (Line stack : stacks) {
      Area expected = Area.valueOf(stack.first());
      Area actual = AreaMapping.classify(stack.rootToLeaf(), stack.thread());
      if (actual != expected) {
        wrong.add(expected + " expected, " + actual + " found (rule "
            + AreaMapping.decidingRule(stack.rootToLeaf(), stack.thread()).orElse(null) + ") on " + stack.thread()
            + ": ..." + stack.rootToLeaf().subList(Math.max(0, stack.rootToLeaf().size() - 6), stack.rootToLeaf().size()));
      }
    }
    assertTrue(wrong.isEmpty(), () -> wrong.size() + " stacks in the wrong area:\n" + String.join("\n", wrong));
    // the fixture covers every area
    for (Area area : Area.values()) {
      assertTrue(stacks.stream().anyMatch(s -> s.first().equals(area.name())), "no stack of " + area);
    }
  }

  @Test
  void theLeadersSamplesLeaveLittleInOther() throws IOException {
    Map<Area, Long> samples = new EnumMap<>(Area.class);
    long total = 0;
    long compilerThreads = 0;
    for (Line line : read("leader-cpu-samples.tsv.gz")) {
      long n = Long.parseLong(line.first());
      samples.merge(AreaMapping.classify(line.rootToLeaf(), line.thread()), n, Long::sum);
      total += n;
      if (line.thread().startsWith("C1 CompilerThre") || line.thread().startsWith("C2 CompilerThre")) {
        compilerThreads += n;
      }
    }
    assertTrue(total > 500, "only " + total + " samples");
    long other = samples.getOrDefault(Area.OTHER, 0L);
    long own = total - samples.getOrDefault(Area.JVM_RUNTIME, 0L);
    assertTrue(other * 100 <= 15 * own, () -> "other holds " + samples.get(Area.OTHER) + " of raftkv's " + own
        + " samples: " + samples);
    // the JIT compilers' threads alone hold 44% of this run's samples, all of them JVM runtime
    long jit = compilerThreads;
    assertTrue(samples.getOrDefault(Area.JVM_RUNTIME, 0L) >= jit && jit > 0, () -> "JIT " + jit + ", " + samples);
    for (Area area : List.of(Area.NETWORK_SERIALIZATION, Area.STORAGE_PERSISTENCE, Area.CONCURRENCY,
        Area.RAFT_STATE_MACHINE)) {
      assertTrue(samples.getOrDefault(area, 0L) > 0, () -> "no samples in " + area + ": " + samples);
    }
    assertEquals(total, samples.values().stream().mapToLong(Long::longValue).sum());
  }
}
