package io.raftkv.persistence.journal;

import com.typesafe.config.Config;
import io.raftkv.jfr.JournalSyncEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.rocksdb.HistogramData;
import org.rocksdb.HistogramType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One open RocksDB database of a persistence plugin (the journal and the snapshot store each own
 * one, in their own directory), plus the key layout both share.
 *
 * <p>Keys are {@code tag | int32 length of pid | pid UTF-8 | int64 seqNr}, all big-endian: RocksDB
 * orders keys bytewise, so one persistence id's entries are contiguous and sorted by sequence number
 * (sequence numbers are never negative, so signed and unsigned order agree). The length prefix keeps
 * "p-1" from being a key prefix of "p-10".
 *
 * <p>{@link #close()} must not race with other use of {@link #db}: the plugin actors use a store only
 * from their own pinned thread.
 */
final class RocksDbStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
    JournalSyncEvents.install();
  }

  /**
   * Old info LOG files RocksDB keeps in the data directory. Its default, 1000, lets them pile up
   * over many restarts; a handful is enough to debug the last few runs.
   */
  private static final long INFO_LOG_FILES_KEPT = 5;

  /**
   * Open stores by absolute directory, so tests (and later a metrics exporter) can read RocksDB's
   * tickers without reaching into a plugin actor. An entry lives exactly as long as the database.
   */
  private static final ConcurrentMap<Path, RocksDbStore> OPEN = new ConcurrentHashMap<>();

  final RocksDB db;
  /** Every write of the plugin goes through these: sync = the plugin's {@code fsync} setting. */
  final WriteOptions writeOptions;

  private final Path dir;
  private final Options options;
  private final Statistics statistics;
  private final boolean fsync;
  private boolean closed;

  private RocksDbStore(Path dir, RocksDB db, Options options, Statistics statistics, boolean fsync) {
    this.dir = dir;
    this.db = db;
    this.options = options;
    this.statistics = statistics;
    this.fsync = fsync;
    this.writeOptions = new WriteOptions().setSync(fsync);
  }

  /**
   * Opens (creating if missing) the database in the plugin's {@code dir}. Errors name the config
   * key and the absolute path, because a wrong or unwritable data directory is an operator's
   * mistake and the message is all they get.
   *
   * @param pluginConfig the plugin's own config section (has {@code dir}, {@code fsync} and the
   *     {@link RocksDbTuning} keys)
   * @param pluginConfigPath where that section lives, e.g. {@code raftkv.persistence.journal}
   */
  /**
   * A plugin's store, or why it could not be opened (a corrupt or unreadable directory): then every
   * call to the plugin fails with {@code failure}, so a recovery fails at once with the reason,
   * instead of Pekko dropping the requests to a plugin that never started and recovery timing out
   * 30 s later.
   */
  record Opening(RocksDbStore store, IllegalStateException failure) {}

  /** Opens the store of the plugin at {@code pluginConfigPath}; a failure is logged once to {@code log} and kept. */
  static Opening openForPlugin(Config pluginConfig, String pluginConfigPath, org.apache.pekko.event.LoggingAdapter log) {
    try {
      return new Opening(open(pluginConfig, pluginConfigPath), null);
    } catch (IllegalStateException e) {
      log.error(e, "{} is unusable; every call to it fails", pluginConfigPath);
      return new Opening(null, e);
    }
  }

  static RocksDbStore open(Config pluginConfig, String pluginConfigPath) {
    String dirKey = pluginConfigPath + ".dir";
    Path dir = Paths.get(pluginConfig.getString("dir")).toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot create the directory " + dirKey + " = " + dir + ": " + e, e);
    }
    // RocksDB would also fail on an unwritable directory, but with a message that names neither the
    // setting nor why; and Files.isWritable says yes to root even on a read-only mount.
    try {
      Files.delete(Files.createTempFile(dir, ".write-check", ".tmp"));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot write in the directory " + dirKey + " = " + dir + ": " + e, e);
    }

    RocksDbTuning tuning = RocksDbTuning.fromPluginConfig(pluginConfig, pluginConfigPath);
    Statistics statistics = new Statistics();
    Options options =
        new Options()
            .setCreateIfMissing(true)
            .setStatistics(statistics)
            .setKeepLogFileNum(INFO_LOG_FILES_KEPT)
            // After a crash, replay the WAL up to the first damaged record and stop there: a torn
            // tail is dropped, but a later record is never applied past a hole. The log stays a
            // prefix of what was acknowledged.
            .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
            .setRecycleLogFileNum(tuning.walRecycleFiles())
            .setWriteBufferSize(tuning.writeBufferBytes());
    try {
      RocksDbStore store =
          new RocksDbStore(
              dir,
              RocksDB.open(options, dir.toString()),
              options,
              statistics,
              pluginConfig.getBoolean("fsync"));
      OPEN.put(dir, store);
      return store;
    } catch (RocksDBException | RuntimeException e) {
      options.close();
      statistics.close();
      throw new IllegalStateException(
          "cannot open the RocksDB database in " + dirKey + " = " + dir + ": " + e, e);
    }
  }

  void write(WriteBatch batch) throws RocksDBException {
    db.write(writeOptions, batch);
  }

  /** The current count of a RocksDB ticker of the store open in {@code dir}, if one is. */
  static OptionalLong tickerCount(Path dir, TickerType ticker) {
    RocksDbStore store = OPEN.get(dir.toAbsolutePath().normalize());
    return store == null ? OptionalLong.empty() : store.tickerCount(ticker);
  }

  // synchronized with close(): reading a closed Statistics would touch freed native memory.
  private synchronized OptionalLong tickerCount(TickerType ticker) {
    return closed ? OptionalLong.empty() : OptionalLong.of(statistics.getTickerCount(ticker));
  }

  /** The open stores: a live, weakly consistent view, so a store may close while it is being read. */
  static Collection<RocksDbStore> openStores() {
    return OPEN.values();
  }

  /**
   * A {@link JournalSyncEvent} filled from RocksDB's statistics, not yet committed; null once closed.
   * Synchronized with close() like {@link #tickerCount(TickerType)}.
   */
  synchronized JournalSyncEvent journalSyncEvent() {
    if (closed) return null;
    HistogramData syncMicros = statistics.getHistogramData(HistogramType.WAL_FILE_SYNC_MICROS);
    JournalSyncEvent event = new JournalSyncEvent();
    event.directory = dir.toString();
    event.fsync = fsync;
    event.walSyncs = statistics.getTickerCount(TickerType.WAL_FILE_SYNCED);
    event.walSyncCount = syncMicros.getCount();
    event.walSyncMicros = syncMicros.getSum();
    event.walSyncP50Micros = Math.round(syncMicros.getMedian());
    event.walSyncP99Micros = Math.round(syncMicros.getPercentile99());
    event.walSyncMaxMicros = Math.round(syncMicros.getMax());
    event.writes = statistics.getTickerCount(TickerType.WRITE_WITH_WAL);
    event.walBytes = statistics.getTickerCount(TickerType.WAL_FILE_BYTES);
    return event;
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    OPEN.remove(dir, this);
    try {
      // With fsync = off, a clean stop should still leave nothing acknowledged only in page cache.
      db.flushWal(true);
    } catch (RocksDBException e) {
      // Closing anyway: nothing better to do on the way down, and the WAL is still replayed on open.
    } finally {
      writeOptions.close();
      db.close();
      options.close();
      statistics.close();
    }
  }

  // ---- key layout --------------------------------------------------------------------------

  /** {@code tag | int32 len(pid) | pid}: the common prefix of all of one pid's keys under tag. */
  static byte[] prefix(byte tag, String persistenceId) {
    byte[] pid = persistenceId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + Integer.BYTES + pid.length)
        .put(tag)
        .putInt(pid.length)
        .put(pid)
        .array();
  }

  /** {@code prefix(tag, pid) | int64 seqNr}. */
  static byte[] key(byte tag, String persistenceId, long sequenceNr) {
    byte[] prefix = prefix(tag, persistenceId);
    return ByteBuffer.allocate(prefix.length + Long.BYTES).put(prefix).putLong(sequenceNr).array();
  }

  /** The sequence number at the end of a key made by {@link #key}. */
  static long sequenceNr(byte[] key) {
    return ByteBuffer.wrap(key, key.length - Long.BYTES, Long.BYTES).getLong();
  }

  /** True if {@code key} is {@code prefix} followed by exactly one int64. */
  static boolean hasPrefix(byte[] key, byte[] prefix) {
    if (key.length != prefix.length + Long.BYTES) return false;
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) return false;
    }
    return true;
  }
}
