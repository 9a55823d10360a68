package io.raftkv.stress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * What a stress run does.
 *
 * @param threads          client threads, each with its own session; at most {@link #THREADS_MAX}
 * @param opsPerThread     operations per thread in each test; at most {@link #OPS_MAX}
 * @param seed             seeds every thread's choices and values, so a run can be repeated
 * @param durationMax      the whole run stops starting operations after this long
 * @param progressInterval time between progress lines (the CLI uses one second)
 * @param history          where to record every operation for the linearizability checker; null: nowhere
 * @param valueBytes       the size of every value written; empty: the seed's {@code value_<1000..9999>}
 */
public record StressConfig(
    int threads, int opsPerThread, long seed, Duration durationMax, Duration progressInterval, Path history, OptionalInt valueBytes) {

  public static final int THREADS_MAX = 1024;
  public static final int OPS_MAX = 10_000_000;
  /** The largest value: the client's default body bound ({@code RaftkvClient.Builder.bodyBytesMax}); a node's value-bytes-max may be lower. */
  public static final int VALUE_BYTES_MAX = 16 << 20;

  /** The seed's values. */
  public StressConfig(int threads, int opsPerThread, long seed, Duration durationMax, Duration progressInterval, Path history) {
    this(threads, opsPerThread, seed, durationMax, progressInterval, history, OptionalInt.empty());
  }

  public StressConfig {
    if (threads < 1 || threads > THREADS_MAX) {
      throw new IllegalArgumentException("threads must be in 1.." + THREADS_MAX + ": " + threads);
    }
    if (opsPerThread < 1 || opsPerThread > OPS_MAX) {
      throw new IllegalArgumentException("operations per thread must be in 1.." + OPS_MAX + ": " + opsPerThread);
    }
    if (durationMax.isZero() || durationMax.isNegative()) {
      throw new IllegalArgumentException("durationMax must be positive: " + durationMax);
    }
    if (progressInterval.isZero() || progressInterval.isNegative()) {
      throw new IllegalArgumentException("progressInterval must be positive: " + progressInterval);
    }
    if (valueBytes.isPresent() && (valueBytes.getAsInt() < 1 || valueBytes.getAsInt() > VALUE_BYTES_MAX)) {
      throw new IllegalArgumentException("value bytes must be in 1.." + VALUE_BYTES_MAX + ": " + valueBytes.getAsInt());
    }
  }
}
