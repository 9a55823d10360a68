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

  /** Every area, in the enum's order, also those without samples (so reports compare). */
  List<AreaShare> shares(long total) {
    List<AreaShare> shares = new ArrayList<>();
    for (Area area : Area.values()) {
      long n = counts.containsKey(area) ? counts.get(area)[0] : 0;
      shares.add(new AreaShare(area, n, Percent.of(n, total)));
    }
    return shares;
  }
}
