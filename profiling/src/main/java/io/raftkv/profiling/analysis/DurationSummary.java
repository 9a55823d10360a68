package io.raftkv.profiling.analysis;

/** Durations of a kind of event, in milliseconds; percentiles are within 0.1 %. */
public record DurationSummary(long count, double totalMs, double p50Ms, double p99Ms, double maxMs) {
  public static final DurationSummary NONE = new DurationSummary(0, 0, 0, 0, 0);
}
