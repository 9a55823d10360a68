package io.raftkv.profiling.analysis;

/**
 * One raftkv event type (name starting with {@code raftkv.}).
 *
 * @param entries the sum of the {@code entries} field, null if the event has none
 * @param bytes the sum of the {@code bytes} field, null if the event has none
 * @param duration the durations, null if every event was instant (duration 0)
 */
public record RaftkvEventReport(String name, long count, Long entries, Long bytes, DurationSummary duration) {}
