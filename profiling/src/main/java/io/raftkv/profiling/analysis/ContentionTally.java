package io.raftkv.profiling.analysis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Blocking events per class: count, total and longest duration. */
final class ContentionTally {
  private static final class Sum {
    long events;
    long totalNanos;
    long maxNanos;
  }

  private final Map<String, Sum> sums = new HashMap<>();
  private long events;
  private long totalNanos;

  void add(String className, Duration duration) {
    long nanos = Math.max(0, duration.toNanos());
    Sum sum = sums.computeIfAbsent(className, k -> new Sum());
    sum.events++;
    sum.totalNanos += nanos;
    sum.maxNanos = Math.max(sum.maxNanos, nanos);
    events++;
    totalNanos += nanos;
  }

  long events() {
    return events;
  }

  double totalMs() {
    return DurationHistogram.millis(totalNanos);
  }

  /** The {@code n} classes blocked on longest in all. */
  List<Contention> top(int n) {
    List<Map.Entry<String, Sum>> entries = new ArrayList<>(sums.entrySet());
    entries.sort(Comparator.<Map.Entry<String, Sum>>comparingLong(e -> -e.getValue().totalNanos)
        .thenComparing(Map.Entry::getKey));
    List<Contention> top = new ArrayList<>();
    for (Map.Entry<String, Sum> entry : entries.subList(0, Math.min(n, entries.size()))) {
      Sum sum = entry.getValue();
      top.add(new Contention(entry.getKey(), sum.events, DurationHistogram.millis(sum.totalNanos),
          DurationHistogram.millis(sum.maxNanos)));
    }
    return top;
  }
}
