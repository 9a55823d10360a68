package io.raftkv.stress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress line of a running test, e.g. {@code put: 1234/4000 ops, 2100 ops/s, 3 errors}:
 * {@link #tick()} prints the rate since the previous tick (the runner calls it every interval),
 * {@link #finish()} a last line with the test's overall rate.
 */
final class ProgressReporter {
  private final String name;
  private final long total;
  private final PhaseStats stats;
  private final PrintStream err;
  private final LongSupplier clock;
  private final long start;
  private long lastTime;
  private long lastDone;
  private boolean finished;

  ProgressReporter(String name, long total, PhaseStats stats, PrintStream err, LongSupplier clock) {
    this.name = name;
    this.total = total;
    this.stats = stats;
    this.err = err;
    this.clock = clock;
    this.start = clock.getAsLong();
    this.lastTime = start;
  }

  /** Prints the line with the rate since the previous line. */
  synchronized void tick() {
    if (finished) {
      return; // a tick that raced the end of the test
    }
    long now = clock.getAsLong();
    long done = stats.done();
    err.println(line(done, rate(done - lastDone, now - lastTime), ""));
    lastTime = now;
    lastDone = done;
  }

  /** Prints the last line, with the rate over the whole test. */
  synchronized void finish() {
    finished = true;
    long elapsed = clock.getAsLong() - start;
    long done = stats.done();
    err.println(line(done, rate(done, elapsed), ", done in " + elapsed / 1_000_000 + " ms"));
  }

  private String line(long done, double rate, String suffix) {
    return String.format(Locale.ROOT, "%s: %d/%d ops, %.0f ops/s, %d errors%s", name, done, total, rate,
        stats.errors(), suffix);
  }

  private static double rate(long ops, long nanos) {
    return nanos <= 0 ? 0 : ops * 1e9 / nanos;
  }
}
