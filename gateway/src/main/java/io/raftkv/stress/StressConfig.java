package io.raftkv.stress;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a stress run does.
 *
 * @param threads          client threads, each with its own session; at most {@link #THREADS_MAX}
 * @param opsPerThread     operations per thread in each test; at most {@link #OPS_MAX}
 * @param seed             seeds every thread's choices and values, so a run can be repeated
 * @param durationMax      the whole run stops starting operations after this long
 * @param progressInterval time between progress lines (the CLI uses one second)
 * @param history          where to record every operation for the linearizability checker; null: nowhere
 */
public record StressConfig(
    int threads, int opsPerThread, long seed, Duration durationMax, Duration progressInterval, Path history) {

  public static final int THREADS_MAX = 1024;
  public static final int OPS_MAX = 10_000_000;

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
  }
}
