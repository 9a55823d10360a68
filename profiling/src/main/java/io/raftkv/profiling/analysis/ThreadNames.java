package io.raftkv.profiling.analysis;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

final class ThreadNames {
  private ThreadNames() {}

  /** The sampled thread of a sample event ({@code sampledThread}), else the event's thread; null if none. */
  static String of(RecordedEvent event) {
    RecordedThread thread = event.hasField("sampledThread") ? event.getThread("sampledThread") : event.getThread();
    if (thread == null) {
      return null;
    }
    // async-profiler samples JVM threads without a Java name (GC, compiler): their OS name is all there is
    return thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
  }
}
