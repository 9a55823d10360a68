package io.raftkv.profiling.analysis;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;

/**
 * {@link StackInfo} per stack trace. The JFR parser shares one {@link RecordedStackTrace} object among
 * all events of a chunk that have the same stack, so an identity map saves rendering and classifying
 * the same stack again; it is emptied when it grows large (a new chunk has new objects anyway).
 */
final class StackCache {
  private static final int MAX_ENTRIES = 50_000;
  private final Map<RecordedStackTrace, StackInfo> cache = new IdentityHashMap<>();

  StackInfo of(RecordedStackTrace trace) {
    if (trace == null) {
      return StackInfo.EMPTY;
    }
    StackInfo info = cache.get(trace);
    if (info == null) {
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
      info = build(trace.getFrames());
      cache.put(trace, info);
    }
    return info;
  }

  static StackInfo build(List<RecordedFrame> leafFirst) {
    List<String> rootToLeaf = new ArrayList<>(leafFirst.size());
    for (int i = leafFirst.size() - 1; i >= 0; i--) {
      rootToLeaf.add(FrameNames.frame(leafFirst.get(i)));
    }
    return of(rootToLeaf);
  }

  static StackInfo of(List<String> rootToLeaf) {
    if (rootToLeaf.isEmpty()) {
      return StackInfo.EMPTY;
    }
    String leaf = rootToLeaf.get(rootToLeaf.size() - 1);
    String site = leaf;
    for (int i = rootToLeaf.size() - 1; i >= 0; i--) {
      String frame = rootToLeaf.get(i);
      if (frame.startsWith("io.raftkv.")) {
        site = frame;
        break;
      }
    }
    List<String> distinct = List.copyOf(new LinkedHashSet<>(rootToLeaf));
    return new StackInfo(List.copyOf(rootToLeaf), distinct, leaf, site, AreaMapping.stackRule(rootToLeaf));
  }
}
