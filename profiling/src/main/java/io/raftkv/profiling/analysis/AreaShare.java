package io.raftkv.profiling.analysis;

/** The samples of one area and their share of all samples, in percent. */
public record AreaShare(Area area, long samples, double percent) {}
