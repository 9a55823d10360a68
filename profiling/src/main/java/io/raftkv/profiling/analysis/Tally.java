package io.raftkv.profiling.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sums per name; memory grows with the distinct names only (frames, classes, threads), not with events. */
final class Tally {
  private final Map<String, long[]> sums = new HashMap<>();

  void add(String name, long value) {
    sums.computeIfAbsent(name, k -> new long[1])[0] += value;
  }

  long get(String name) {
    long[] sum = sums.get(name);
    return sum == null ? 0 : sum[0];
  }

  int size() {
    return sums.size();
  }

  /** The {@code n} largest, largest first (ties by name), with their share of {@code total}. */
  List<Share> top(int n, long total) {
    List<Map.Entry<String, long[]>> entries = new ArrayList<>(sums.entrySet());
    entries.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
        .thenComparing(Map.Entry::getKey));
    List<Share> top = new ArrayList<>();
    for (Map.Entry<String, long[]> entry : entries.subList(0, Math.min(n, entries.size()))) {
      long value = entry.getValue()[0];
      top.add(new Share(entry.getKey(), value, Percent.of(value, total)));
    }
    return top;
  }
}
