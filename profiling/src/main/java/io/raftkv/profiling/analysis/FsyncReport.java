package io.raftkv.profiling.analysis;

/**
 * {@code jdk.FileForce}: {@code FileChannel.force} calls made from Java (the JDK records those above its
 * threshold; set it to 0 to see all). RocksDB syncs its WAL in native code, which this event does not see:
 * those show as {@code fdatasync} frames in async-profiler's cpu and wall samples instead.
 */
public record FsyncReport(long count, DurationSummary duration) {}
