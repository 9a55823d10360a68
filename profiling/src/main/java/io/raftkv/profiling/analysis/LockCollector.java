package io.raftkv.profiling.analysis;

import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;

/** {@code jdk.JavaMonitorEnter} and {@code jdk.ThreadPark}. */
final class LockCollector {
  static final String MONITOR_ENTER = "jdk.JavaMonitorEnter";
  static final String THREAD_PARK = "jdk.ThreadPark";

  private final ContentionTally monitors = new ContentionTally();
  private final ContentionTally parks = new ContentionTally();

  void acceptMonitorEnter(RecordedEvent event) {
    monitors.add(classOf(event, "monitorClass", "(unknown monitor)"), event.getDuration());
  }

  void acceptPark(RecordedEvent event) {
    parks.add(classOf(event, "parkedClass", "(no blocker)"), event.getDuration());
  }

  private static String classOf(RecordedEvent event, String field, String none) {
    RecordedClass recordedClass = event.hasField(field) ? event.getClass(field) : null;
    return recordedClass == null ? none : FrameNames.className(recordedClass);
  }

  LockReport report(int topN) {
    return new LockReport(monitors.events(), monitors.totalMs(), monitors.top(topN),
        parks.events(), parks.totalMs(), parks.top(topN));
  }
}
