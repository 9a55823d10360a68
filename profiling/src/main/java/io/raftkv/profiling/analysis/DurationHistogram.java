package io.raftkv.profiling.analysis;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/** Durations in nanoseconds with bounded memory (HdrHistogram, 3 significant digits). */
final class DurationHistogram {
  private final Histogram histogram = new Histogram(3);
  private long totalNanos;

  void add(Duration duration) {
    long nanos = Math.max(0, duration.toNanos());
    histogram.recordValue(nanos);
    totalNanos += nanos;
  }

  long count() {
    return histogram.getTotalCount();
  }

  DurationSummary summary() {
    if (count() == 0) {
      return DurationSummary.NONE;
    }
    return new DurationSummary(count(), millis(totalNanos), millis(histogram.getValueAtPercentile(50)),
        millis(histogram.getValueAtPercentile(99)), millis(histogram.getMaxValue()));
  }

  /** Milliseconds, rounded to the microsecond. */
  static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }
}
