package io.raftkv.stress;

import io.raftkv.client.RaftkvException;
import io.raftkv.client.RaftkvRejectedException;
import io.raftkv.client.RaftkvTimeoutException;
import io.raftkv.client.RaftkvUnavailableException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** The counters of one test, shared by its threads; latencies of successful operations in microseconds. */
final class PhaseStats {
  /** Latencies above an hour are recorded as an hour (the client's deadline keeps them far below). */
  static final long LATENCY_MICROS_MAX = TimeUnit.HOURS.toMicros(1);

  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
  private final Recorder latency = new Recorder(LATENCY_MICROS_MAX, 3); // wait-free for the recording threads
  private volatile boolean stopped;

  void ok(long nanos) {
    latency.recordValue(Math.max(1, Math.min(LATENCY_MICROS_MAX, TimeUnit.NANOSECONDS.toMicros(nanos))));
    ok.incrementAndGet();
  }

  void error(RaftkvException e) {
    errorKinds.computeIfAbsent(kind(e), k -> new LongAdder()).increment();
    errors.incrementAndGet();
  }

  void stopped() {
    stopped = true;
  }

  long ok() {
    return ok.get();
  }

  long errors() {
    return errors.get();
  }

  long done() {
    return ok.get() + errors.get();
  }

  boolean wasStopped() {
    return stopped;
  }

  /** Error counts by kind, in name order. */
  Map<String, Long> errorKinds() {
    Map<String, Long> out = new TreeMap<>();
    errorKinds.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Every latency recorded so far (call once, at the end: a Recorder hands out each value once). */
  Histogram latencies() {
    return latency.getIntervalHistogram();
  }

  private static String kind(RaftkvException e) {
    if (e instanceof RaftkvTimeoutException) {
      return "timeout";
    }
    if (e instanceof RaftkvUnavailableException) {
      return "unavailable";
    }
    if (e instanceof RaftkvRejectedException r) {
      return "rejected " + r.status();
    }
    return "protocol";
  }
}
