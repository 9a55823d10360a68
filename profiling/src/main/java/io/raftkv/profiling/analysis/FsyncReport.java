package io.raftkv.profiling.analysis;

import java.util.List;

/**
 * Syncs to disk, from two sources.
 *
 * @param rocksDbWal RocksDB's WAL syncs per store, from raftkv's periodic {@code raftkv.JournalSync}
 *     events (RocksDB syncs in native code, which {@code jdk.FileForce} never sees); by directory
 * @param count {@code jdk.FileForce} events: {@code FileChannel.force} calls made from Java (the JDK
 *     records those above its threshold; set it to 0 to see all)
 * @param duration their durations
 */
public record FsyncReport(List<WalSyncReport> rocksDbWal, long count, DurationSummary duration) {}
