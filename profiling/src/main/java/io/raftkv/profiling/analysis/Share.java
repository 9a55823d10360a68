package io.raftkv.profiling.analysis;

/** A named figure and its share of a total, in percent (0-100). */
public record Share(String name, long value, double percent) {}
