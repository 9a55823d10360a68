package io.raftkv.profiling.analysis;

import java.util.List;
import jdk.jfr.consumer.RecordedEvent;

/** {@code jdk.FileForce}; the RocksDB part comes from a {@link WalSyncCollector}. */
final class FsyncCollector {
  static final String FILE_FORCE = "jdk.FileForce";

  private final DurationHistogram durations = new DurationHistogram();

  void accept(RecordedEvent event) {
    durations.add(event.getDuration());
  }

  FsyncReport report(List<WalSyncReport> rocksDbWal) {
    return new FsyncReport(rocksDbWal, durations.count(), durations.summary());
  }
}
