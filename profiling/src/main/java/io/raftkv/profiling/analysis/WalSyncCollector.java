package io.raftkv.profiling.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;

/**
 * {@code raftkv.JournalSync} (persistence's {@code io.raftkv.jfr.JournalSyncEvent}), by store directory.
 * Its figures are cumulative since the store opened, so the recording's share is the growth from the
 * first event to the last. A figure that falls means the store was closed and opened again: its new
 * value is then all growth since.
 */
final class WalSyncCollector {
  static final String JOURNAL_SYNC = "raftkv.JournalSync";

  /** The cumulative figures of one event. */
  private record Sample(long syncs, long timed, long micros, long writes, long walBytes) {
    static Sample of(RecordedEvent event) {
      return new Sample(number(event, "walSyncs"), number(event, "walSyncCount"), number(event, "walSyncMicros"),
          number(event, "writes"), number(event, "walBytes"));
    }

    boolean fellFrom(Sample earlier) {
      return syncs < earlier.syncs || timed < earlier.timed || micros < earlier.micros || writes < earlier.writes
          || walBytes < earlier.walBytes;
    }
  }

  private static final class Store {
    long events;
    Instant first;
    Instant last;
    Sample firstSample;
    Sample previous;
    long syncs;
    long timed;
    long micros;
    long writes;
    long walBytes;
    boolean fsync;
    long p50Micros;
    long p99Micros;
    long maxMicros;
  }

  private final Map<String, Store> byDirectory = new TreeMap<>();

  /** Events of one store come from one thread (JFR's periodic tasks), so they arrive in order. */
  void accept(RecordedEvent event) {
    String directory = event.hasField("directory") ? String.valueOf(event.getString("directory")) : "?";
    Store store = byDirectory.computeIfAbsent(directory, d -> new Store());
    Sample sample = Sample.of(event);
    store.events++;
    if (store.previous == null) {
      store.first = event.getStartTime();
      store.firstSample = sample;
    } else if (sample.fellFrom(store.previous)) {
      add(store, sample);
    } else {
      Sample p = store.previous;
      add(store, new Sample(sample.syncs - p.syncs, sample.timed - p.timed, sample.micros - p.micros,
          sample.writes - p.writes, sample.walBytes - p.walBytes));
    }
    store.previous = sample;
    store.last = event.getStartTime();
    store.fsync = event.hasField("fsync") && event.getBoolean("fsync");
    store.p50Micros = number(event, "walSyncP50Micros");
    store.p99Micros = number(event, "walSyncP99Micros");
    store.maxMicros = number(event, "walSyncMaxMicros");
  }

  private static void add(Store store, Sample growth) {
    store.syncs += growth.syncs;
    store.timed += growth.timed;
    store.micros += growth.micros;
    store.writes += growth.writes;
    store.walBytes += growth.walBytes;
  }

  private static long number(RecordedEvent event, String field) {
    return event.hasField(field) ? event.getLong(field) : 0;
  }

  /** By directory. */
  List<WalSyncReport> report() {
    List<WalSyncReport> reports = new ArrayList<>();
    byDirectory.forEach((directory, s) -> {
      boolean sinceOpen = s.events == 1;
      Sample total = sinceOpen ? s.firstSample : new Sample(s.syncs, s.timed, s.micros, s.writes, s.walBytes);
      Double meanMs = total.timed == 0 ? null : millis(Math.round((double) total.micros / total.timed));
      reports.add(new WalSyncReport(directory, s.fsync, s.events, sinceOpen,
          Duration.between(s.first, s.last).toMillis() / 1000.0, total.syncs, total.writes, total.walBytes, meanMs,
          millis(s.p50Micros), millis(s.p99Micros), millis(s.maxMicros)));
    });
    return reports;
  }

  /** Microseconds as milliseconds, like every duration of the report. */
  private static double millis(long micros) {
    return micros / 1_000.0;
  }
}
