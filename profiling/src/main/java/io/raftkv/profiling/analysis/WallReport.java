package io.raftkv.profiling.analysis;

/**
 * async-profiler's wall-clock samples ({@code profiler.WallClockSample}): every thread, running or
 * not. {@code samples} adds up the events' {@code samples} field (async-profiler may batch idle samples
 * into one event); both are 0 when the recording was not made with {@code --wall}.
 */
public record WallReport(long events, long samples) {}
