package io.raftkv.profiling.analysis;

import jdk.jfr.consumer.RecordedEvent;

/** {@code jdk.SocketRead}, {@code jdk.SocketWrite}. */
final class SocketCollector {
  static final String READ = "jdk.SocketRead";
  static final String WRITE = "jdk.SocketWrite";

  private final long[] read = new long[3];
  private final long[] write = new long[3];

  void acceptRead(RecordedEvent event) {
    add(read, event, "bytesRead");
  }

  void acceptWrite(RecordedEvent event) {
    add(write, event, "bytesWritten");
  }

  private static void add(long[] sums, RecordedEvent event, String bytesField) {
    sums[0]++;
    sums[1] += event.hasField(bytesField) ? Math.max(0, event.getLong(bytesField)) : 0;
    sums[2] += Math.max(0, event.getDuration().toNanos());
  }

  SocketReport report() {
    return new SocketReport(io(read), io(write));
  }

  private static SocketIo io(long[] sums) {
    return new SocketIo(sums[0], sums[1], DurationHistogram.millis(sums[2]));
  }
}
