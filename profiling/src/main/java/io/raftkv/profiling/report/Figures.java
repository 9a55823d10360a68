package io.raftkv.profiling.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's headline figures by name ({@code load.throughput_rps}, {@code node-1.area.raft_pct}, ...),
 * kept in {@code summary.json} so that a later run given {@code --baseline} can show how each changed.
 */
public final class Figures {
  private final Map<String, Double> values = new LinkedHashMap<>();

  public void put(String name, double value) {
    if (Double.isFinite(value)) values.put(name, value);
  }

  public Map<String, Double> asMap() {
    return java.util.Collections.unmodifiableMap(values);
  }

  /** One figure then and now; {@code changePct} is null when the baseline was 0 or either side is missing. */
  public record Change(String name, Double baseline, Double now, Double changePct) {}

  /** Every figure of either run, in this run's order, then the baseline's leftovers. */
  public static List<Change> compare(Map<String, Double> baseline, Map<String, Double> now) {
    List<Change> rows = new ArrayList<>();
    now.forEach((name, value) -> rows.add(change(name, baseline.get(name), value)));
    baseline.forEach((name, value) -> {
      if (!now.containsKey(name)) rows.add(change(name, value, null));
    });
    return rows;
  }

  private static Change change(String name, Double before, Double after) {
    Double pct = before == null || after == null || before == 0 ? null : 100.0 * (after - before) / Math.abs(before);
    return new Change(name, before, after, pct);
  }
}
