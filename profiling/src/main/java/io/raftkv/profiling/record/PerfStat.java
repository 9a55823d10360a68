package io.raftkv.profiling.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The seed's {@code perf stat}: hardware counters (cycles, instructions, cache and branch misses) and
 * the kernel's software counters (CPU time, context switches, page faults) of one node over the
 * recorded phase. A virtual machine without a PMU reports the hardware counters as not supported; the
 * software counters still count.
 */
public final class PerfStat {
  /** The seed's counters, then the software counters that work everywhere. */
  public static final List<String> EVENTS = List.of("cycles", "instructions", "cache-references", "cache-misses",
      "branch-instructions", "branch-misses", "task-clock", "context-switches", "cpu-migrations", "page-faults");

  private final Process process;
  private final Path output;

  private PerfStat(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts counting {@code pid} for {@code duration}; empty (with the reason in {@code why}) when perf cannot run. */
  public static Optional<PerfStat> start(long pid, Duration duration, Path output, StringBuilder why) {
    List<String> command = new ArrayList<>(List.of("perf", "stat", "-x", ",", "-e", String.join(",", EVENTS),
        "-p", Long.toString(pid), "-o", output.toAbsolutePath().toString(), "--", "sleep", Long.toString(Math.max(1, duration.toSeconds()))));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return Optional.of(new PerfStat(p, output));
    } catch (IOException e) {
      why.append("perf is not installed (").append(e.getMessage()).append(")");
      return Optional.empty();
    }
  }

  /** Waits for the count to end (bounded by {@code timeout}) and reads it: counter name to value, missing when not supported. */
  public Counters finish(Duration timeout) throws IOException {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
        return Counters.failed("perf stat did not finish in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
      return Counters.failed("interrupted");
    }
    if (!Files.isRegularFile(output)) return Counters.failed("perf stat wrote nothing (exit " + process.exitValue() + ")");
    return Counters.parse(Files.readString(output, StandardCharsets.UTF_8));
  }

  /**
   * What {@code perf stat -x ,} counted.
   *
   * @param values counted events, in {@link #EVENTS} order (task-clock in milliseconds)
   * @param unsupported events this machine cannot count
   * @param failure why nothing was counted, or null
   */
  public record Counters(Map<String, Double> values, List<String> unsupported, String failure) {
    static Counters failed(String why) {
      return new Counters(Map.of(), List.of(), why);
    }

    /** Parses perf's CSV lines: {@code value,unit,event,...}; comments and blank lines are skipped. */
    public static Counters parse(String csv) {
      Map<String, Double> values = new LinkedHashMap<>();
      List<String> unsupported = new ArrayList<>();
      for (String line : csv.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] f = line.split(",", -1);
        if (f.length < 3) continue;
        String event = f[2].trim();
        if (f[0].startsWith("<")) {
          unsupported.add(event); // <not supported> or <not counted>
        } else {
          try {
            values.put(event, Double.parseDouble(f[0]));
          } catch (NumberFormatException e) {
            unsupported.add(event);
          }
        }
      }
      return new Counters(values, unsupported, values.isEmpty() && unsupported.isEmpty() ? "perf stat printed no counters" : null);
    }
  }
}
