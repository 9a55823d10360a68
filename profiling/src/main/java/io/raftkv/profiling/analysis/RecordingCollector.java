package io.raftkv.profiling.analysis;

import java.time.Duration;
import java.time.Instant;
import jdk.jfr.consumer.RecordedEvent;

/** Span, JVM, and events per type. */
final class RecordingCollector {
  static final String JVM_INFORMATION = "jdk.JVMInformation";

  private final Tally types = new Tally();
  private long events;
  private Instant start;
  private Instant end;
  private String jvm;
  private String javaArguments;

  void accept(String name, RecordedEvent event) {
    events++;
    types.add(name, 1);
    Instant eventStart = event.getStartTime();
    Instant eventEnd = event.getEndTime();
    if (start == null || eventStart.isBefore(start)) {
      start = eventStart;
    }
    if (end == null || eventEnd.isAfter(end)) {
      end = eventEnd;
    }
    if (JVM_INFORMATION.equals(name) && jvm == null) {
      jvm = string(event, "jvmName") + " " + string(event, "jvmVersion");
      javaArguments = event.hasField("javaArguments") ? event.getString("javaArguments") : null;
    }
  }

  private static String string(RecordedEvent event, String field) {
    return event.hasField(field) ? String.valueOf(event.getString(field)) : "?";
  }

  RecordingInfo report(String file, long fileBytes) {
    double seconds = start == null ? 0 : Duration.between(start, end).toMillis() / 1000.0;
    return new RecordingInfo(file, fileBytes, start == null ? null : start.toString(),
        end == null ? null : end.toString(), seconds, jvm, javaArguments, events, types.top(types.size(), events));
  }
}
