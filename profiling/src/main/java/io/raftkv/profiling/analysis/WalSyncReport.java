package io.raftkv.profiling.analysis;

/**
 * RocksDB's WAL syncs of one store, from its {@code raftkv.JournalSync} events: RocksDB's own statistics,
 * cumulative since the store opened, one event per open store each period (1 s by default).
 *
 * @param directory the store's data directory (a node's journal or snapshot store)
 * @param fsync the store's fsync setting (every write syncs the WAL), as of the last event
 * @param events the store's {@code raftkv.JournalSync} events
 * @param sinceOpen true when there was only one event: {@code syncs}, {@code writes}, {@code walBytes}
 *     and {@code meanMs} are then since the store opened (about when the node started), not during
 *     the recording
 * @param spanSeconds from the first event to the last: what {@code syncs} and {@code meanMs} cover
 *     (0 with one event)
 * @param syncs WAL syncs ({@code WAL_FILE_SYNCED}) from the first event to the last
 * @param writes writes through the WAL ({@code WRITE_WITH_WAL}) in the same span
 * @param walBytes bytes written to the WAL ({@code WAL_FILE_BYTES}) in the same span
 * @param meanMs mean sync latency over the same span (the growth of {@code WAL_FILE_SYNC_MICROS}'s sum
 *     over that of its count); null if no sync was timed
 * @param p50Ms median sync latency since the store opened, as of the last event (RocksDB's estimate)
 * @param p99Ms 99th percentile, likewise
 * @param maxMs longest sync since the store opened, as of the last event
 */
public record WalSyncReport(String directory, boolean fsync, long events, boolean sinceOpen, double spanSeconds,
                            long syncs, long writes, long walBytes, Double meanMs, double p50Ms, double p99Ms,
                            double maxMs) {}
