package io.raftkv.profiling.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;

/**
 * Every event type named {@code raftkv.*} but the periodic {@code raftkv.JournalSync} ({@link WalSyncCollector}):
 * count, sums of {@code entries} and {@code bytes}, durations.
 */
final class RaftkvEventCollector {
  static final String PREFIX = "raftkv.";
  static final String ENTRIES = "entries";
  static final String BYTES = "bytes";

  private static final class Sums {
    long count;
    Long entries;
    Long bytes;
    boolean timed;
    final DurationHistogram durations = new DurationHistogram();
  }

  private static final Set<String> INTEGRAL = Set.of("long", "int", "short", "byte", "char");

  private final Map<String, Sums> byName = new TreeMap<>();

  void accept(String name, RecordedEvent event) {
    Sums sums = byName.computeIfAbsent(name, k -> new Sums());
    sums.count++;
    if (isNumber(event, ENTRIES)) {
      sums.entries = (sums.entries == null ? 0 : sums.entries) + event.getLong(ENTRIES);
    }
    if (isNumber(event, BYTES)) {
      sums.bytes = (sums.bytes == null ? 0 : sums.bytes) + event.getLong(BYTES);
    }
    sums.durations.add(event.getDuration());
    sums.timed |= !event.getDuration().isZero();
  }

  private static boolean isNumber(RecordedEvent event, String field) {
    ValueDescriptor descriptor = event.getEventType().getField(field);
    return descriptor != null && INTEGRAL.contains(descriptor.getTypeName());
  }

  /** By name. */
  List<RaftkvEventReport> report() {
    List<RaftkvEventReport> reports = new ArrayList<>();
    byName.forEach((name, sums) -> reports.add(new RaftkvEventReport(name, sums.count, sums.entries, sums.bytes,
        sums.timed ? sums.durations.summary() : null)));
    return reports;
  }
}
