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
      jvm = jvm(string(event, "jvmName"), string(event, "jvmVersion"));
      javaArguments = event.hasField("javaArguments") ? event.getString("javaArguments") : null;
    }
  }

  /** "OpenJDK 64-Bit Server VM 17.0.15+6", without the JDK's " for linux-amd64 JRE (...), built on ..." */
  static String jvm(String name, String version) {
    String text = version.startsWith(name) ? version : name + " " + version;
    int cut = text.indexOf(" for ");
    text = cut > 0 ? text.substring(0, cut) : text;
    return text.replace(name + " (", name + " ").replaceAll("\\)$", "");
  }

  private static String string(RecordedEvent event, String field) {
    return event.hasField(field) ? String.valueOf(event.getString(field)) : "?";
  }

  RecordingInfo report(String file, long fileBytes, int topN) {
    double seconds = start == null ? 0 : Duration.between(start, end).toMillis() / 1000.0;
    return new RecordingInfo(file, fileBytes, start == null ? null : start.toString(),
        end == null ? null : end.toString(), seconds, jvm, javaArguments, events, types.size(), types.top(topN, events));
  }
}
