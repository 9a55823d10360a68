package io.raftkv.profiling.analysis;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Samples per {@link Area}. */
final class AreaShares {
  private final Map<Area, long[]> counts = new EnumMap<>(Area.class);

  void add(Area area) {
    counts.computeIfAbsent(area, a -> new long[1])[0]++;
  }

  /**
   * Every area, in the enum's order, also those without samples (so reports compare): each as a share
   * of {@code total} and, but the JVM runtime, of raftkv's own samples.
   */
  List<AreaShare> shares(long total) {
    long own = 0;
    for (Area area : Area.values()) {
      if (area.raftkvOwn()) own += count(area);
    }
    List<AreaShare> shares = new ArrayList<>();
    for (Area area : Area.values()) {
      long n = count(area);
      shares.add(new AreaShare(area, n, Percent.of(n, total), area.raftkvOwn() ? Percent.of(n, own) : null));
    }
    return shares;
  }

  private long count(Area area) {
    long[] n = counts.get(area);
    return n == null ? 0 : n[0];
  }
}
