package io.raftkv.profiling.analysis;

import jdk.jfr.consumer.RecordedEvent;

/** {@code jdk.FileForce}. */
final class FsyncCollector {
  static final String FILE_FORCE = "jdk.FileForce";

  private final DurationHistogram durations = new DurationHistogram();

  void accept(RecordedEvent event) {
    durations.add(event.getDuration());
  }

  FsyncReport report() {
    return new FsyncReport(durations.count(), durations.summary());
  }
}
