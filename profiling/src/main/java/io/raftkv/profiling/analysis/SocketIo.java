package io.raftkv.profiling.analysis;

/** Socket reads or writes: events, bytes, time spent in them (milliseconds). */
public record SocketIo(long events, long bytes, double totalMs) {}
