package io.raftkv.debug;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code /debug/profile?event=} samples, with async-profiler's options for it. The intervals
 * are those of {@code raftkv profile} (profiling/'s EventPlan), so a graph from a running node reads
 * like one from a profiling run.
 */
public enum ProfileEvent {
  /** CPU time; where perf_events is refused, the timers that need no permission take its place, in this order. */
  CPU("cpu", "interval=10ms", List.of("ctimer", "itimer")),
  /** Allocations, one sample about every 512 KiB (one TLAB): weighed by bytes. */
  ALLOC("alloc", "alloc=512k", List.of()),
  /** Contended locks waited on for 10 µs or more: weighed by the time waited. */
  LOCK("lock", "lock=10us", List.of()),
  /** Every thread, running or not, every 20 ms: where a request waits. */
  WALL("wall", "interval=20ms", List.of());

  private final String name;
  private final String interval;
  private final List<String> fallbacks;

  ProfileEvent(String name, String interval, List<String> fallbacks) {
    this.name = name;
    this.interval = interval;
    this.fallbacks = fallbacks;
  }

  /** The name in the query string and in async-profiler's options. */
  public String label() {
    return name;
  }

  /** async-profiler's {@code start} command for {@code engine} (this event, or one of its fallbacks). */
  String startCommand(String engine) {
    return "start,event=" + engine + "," + interval;
  }

  /** The engines to try in order: this event, then its fallbacks. */
  List<String> engines() {
    return Stream.concat(Stream.of(name), fallbacks.stream()).toList();
  }

  /** Whether samples count something other than hits (bytes, nanoseconds): the graph then weighs them by it. */
  boolean weighed() {
    return this == ALLOC || this == LOCK;
  }

  static Optional<ProfileEvent> named(String name) {
    for (ProfileEvent e : values()) {
      if (e.name.equals(name.trim().toLowerCase(Locale.ROOT))) return Optional.of(e);
    }
    return Optional.empty();
  }

  static String known() {
    return String.join(", ", Arrays.stream(values()).map(ProfileEvent::label).toList());
  }
}
