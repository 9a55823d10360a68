package io.raftkv.profiling.analysis;

/** Blocking on one class of object: how often, for how long in all, the longest once (milliseconds). */
public record Contention(String className, long events, double totalMs, double maxMs) {}
