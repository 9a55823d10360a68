package io.raftkv.profiling.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stacks in the collapsed format ({@code root;...;leaf COUNT} per line) with their sample counts, and
 * the hottest frames in them: by self samples (the frame was on top) and by total samples (the frame
 * was anywhere on the stack, counted once per stack).
 */
public final class CollapsedStacks {
  private final Map<String, Long> counts;

  private CollapsedStacks(Map<String, Long> counts) {
    this.counts = counts;
  }

  /** Parses collapsed text; lines that do not end in a count are skipped. */
  public static CollapsedStacks parse(String text) {
    Map<String, Long> counts = new HashMap<>();
    for (String line : text.split("\n")) {
      int space = line.lastIndexOf(' ');
      if (space <= 0) continue;
      try {
        counts.merge(line.substring(0, space), Long.parseLong(line.substring(space + 1).trim()), Long::sum);
      } catch (NumberFormatException e) {
        // not a stack line
      }
    }
    return new CollapsedStacks(counts);
  }

  /** The samples in this profile that {@code earlier} (a dump of the same session) did not have yet. */
  public CollapsedStacks since(CollapsedStacks earlier) {
    Map<String, Long> delta = new HashMap<>();
    counts.forEach((stack, n) -> {
      long d = n - earlier.counts.getOrDefault(stack, 0L);
      if (d > 0) delta.put(stack, d);
    });
    return new CollapsedStacks(delta);
  }

  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** One frame's samples. */
  public record HotFrame(String frame, long self, long total) {}

  /** The {@code n} frames with the most self samples. */
  public List<HotFrame> hottestBySelf(int n) {
    return hottest(n, Comparator.comparingLong(HotFrame::self).reversed());
  }

  /** The {@code n} frames with the most total samples. */
  public List<HotFrame> hottestByTotal(int n) {
    return hottest(n, Comparator.comparingLong(HotFrame::total).reversed());
  }

  private List<HotFrame> hottest(int n, Comparator<HotFrame> order) {
    Map<String, long[]> byFrame = new HashMap<>(); // frame -> {self, total}
    counts.forEach((stack, count) -> {
      String[] frames = stack.split(";");
      Set<String> seen = new HashSet<>();
      for (String f : frames) {
        String frame = plain(f);
        if (seen.add(frame)) byFrame.computeIfAbsent(frame, k -> new long[2])[1] += count;
      }
      byFrame.get(plain(frames[frames.length - 1]))[0] += count;
    });
    List<HotFrame> all = new ArrayList<>();
    byFrame.forEach((frame, st) -> all.add(new HotFrame(frame, st[0], st[1])));
    all.sort(order.thenComparing(HotFrame::frame));
    return all.subList(0, Math.min(n, all.size()));
  }

  /** A frame without the converter's type suffix ({@code _[j]} Java, {@code _[i]} inlined, {@code _[k]} kernel, ...). */
  static String plain(String frame) {
    int suffix = frame.lastIndexOf("_[");
    return suffix > 0 && frame.endsWith("]") ? frame.substring(0, suffix) : frame;
  }
}
