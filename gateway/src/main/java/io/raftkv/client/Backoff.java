package io.raftkv.client;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with "equal jitter": the n-th delay is drawn from [b/2, b] where
 * b = min(initial * 2^n, max). Half of it is fixed, so a retry never comes back at once; the
 * other half is random, so clients that failed together do not retry together.
 *
 * <p>One instance per call; the random source may be shared (calls to it are synchronized on it),
 * which with a seeded {@link Random} makes the delays reproducible in a single-threaded test.
 */
final class Backoff {
  private final long initialNanos;
  private final long maxNanos;
  private final Random random;
  private long nextNanos;

  Backoff(Duration initial, Duration max, Random random) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
    this.nextNanos = initialNanos;
  }

  /** The next delay, in nanoseconds; never more than {@code max}. */
  long nextNanos() {
    long bound = Math.min(nextNanos, maxNanos);
    nextNanos = bound >= maxNanos / 2 ? maxNanos : bound * 2; // no overflow however many calls
    long half = bound / 2;
    long jitter;
    synchronized (random) {
      jitter = half == 0 ? 0 : (long) (random.nextDouble() * (bound - half + 1));
    }
    return Math.min(bound, half + jitter);
  }

  /** Restarts from the initial delay. */
  void reset() {
    nextNanos = initialNanos;
  }
}
