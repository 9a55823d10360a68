package io.raftkv.profiling.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one {@code raftkv bench} run does. {@code duration} is each measured run's length and
 * {@code warmup} the unmeasured run before it (same workload, same system); {@code keys} is the
 * pre-filled key space; {@code doc} is the Markdown file the table goes into, if any.
 */
public record BenchSettings(List<Workload> workloads, Duration duration, Duration warmup, int keys, int valueSize, long seed,
    Path clusterFile, Path configFile, Path runDir, Optional<Path> json, Optional<Path> doc, String commandLine) {
  /** The most keys a run pre-fills (every request is pre-formatted in wrk's memory). */
  public static final int MAX_KEYS = 1_000_000;
  /** The largest value. */
  public static final int MAX_VALUE_BYTES = 1 << 20;

  public BenchSettings {
    workloads = List.copyOf(workloads);
    if (workloads.isEmpty()) throw new IllegalArgumentException("--workloads: at least one workload");
    if (duration.toSeconds() < 1) throw new IllegalArgumentException("--duration must be at least 1s, not " + duration);
    if (warmup.isNegative()) throw new IllegalArgumentException("--warmup must not be negative");
    if (keys < 1 || keys > MAX_KEYS) throw new IllegalArgumentException("--keys must be 1.." + MAX_KEYS + ", not " + keys);
    if (valueSize < 1 || valueSize > MAX_VALUE_BYTES) throw new IllegalArgumentException("--value-size must be 1.." + MAX_VALUE_BYTES + ", not " + valueSize);
  }
}
