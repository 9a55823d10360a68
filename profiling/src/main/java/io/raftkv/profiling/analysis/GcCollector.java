package io.raftkv.profiling.analysis;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;

/** {@code jdk.GarbageCollection}, {@code jdk.GCPhasePause}, {@code jdk.GCHeapSummary}. */
final class GcCollector {
  static final String GARBAGE_COLLECTION = "jdk.GarbageCollection";
  static final String PHASE_PAUSE = "jdk.GCPhasePause";
  static final String HEAP_SUMMARY = "jdk.GCHeapSummary";

  private long collections;
  private long pauseNanos;
  private long maxPauseNanos;
  private final Tally byCollector = new Tally();

  private final Set<Long> phaseGcIds = new HashSet<>();
  private long phasePauseNanos;
  private long phaseMaxNanos;

  private long maxHeapAfterGc = -1;

  void acceptCollection(RecordedEvent event) {
    collections++;
    pauseNanos += nanos(event, "sumOfPauses");
    maxPauseNanos = Math.max(maxPauseNanos, nanos(event, "longestPause"));
    byCollector.add(event.hasField("name") ? String.valueOf(event.getString("name")) : "(unknown)", 1);
  }

  void acceptPhasePause(RecordedEvent event) {
    if (event.hasField("gcId")) {
      phaseGcIds.add(event.getLong("gcId"));
    }
    long nanos = Math.max(0, event.getDuration().toNanos());
    phasePauseNanos += nanos;
    phaseMaxNanos = Math.max(phaseMaxNanos, nanos);
  }

  void acceptHeapSummary(RecordedEvent event) {
    if (event.hasField("when") && "After GC".equals(event.getString("when")) && event.hasField("heapUsed")) {
      maxHeapAfterGc = Math.max(maxHeapAfterGc, event.getLong("heapUsed"));
    }
  }

  private static long nanos(RecordedEvent event, String field) {
    if (!event.hasField(field)) {
      return 0;
    }
    Duration duration = event.getDuration(field);
    return duration == null ? 0 : Math.max(0, duration.toNanos());
  }

  GcReport report(int topN) {
    Long heap = maxHeapAfterGc < 0 ? null : maxHeapAfterGc;
    if (collections > 0) {
      return new GcReport(GARBAGE_COLLECTION, collections, DurationHistogram.millis(pauseNanos),
          DurationHistogram.millis(maxPauseNanos), heap, byCollector.top(topN, collections));
    }
    if (!phaseGcIds.isEmpty() || phasePauseNanos > 0) {
      return new GcReport(PHASE_PAUSE, phaseGcIds.size(), DurationHistogram.millis(phasePauseNanos),
          DurationHistogram.millis(phaseMaxNanos), heap, List.of());
    }
    return new GcReport("none", 0, 0, 0, heap, List.of());
  }
}
