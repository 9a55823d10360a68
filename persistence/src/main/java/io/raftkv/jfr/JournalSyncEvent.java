package io.raftkv.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Periodic: RocksDB's own count and latency of WAL syncs, one event per open RocksDB store (the
 * journal's and the snapshot store's) each period. RocksDB syncs its WAL in native code, which
 * {@code jdk.FileForce} never sees; these figures come from the store's RocksDB {@code Statistics}.
 *
 * <p>Every figure is cumulative since the store opened (RocksDB keeps no other): a reader takes the
 * difference between two events of the same {@link #directory} for what happened between them.
 * Registered by {@code RocksDbStore} once JFR initialises; emitted only while a recording enables it.
 */
@Name(JournalSyncEvent.NAME)
@Label("RocksDB WAL Syncs")
@Category({"raftkv", "Storage"})
@Description("Cumulative WAL syncs, sync latency and writes of one open RocksDB store, since it opened")
@StackTrace(false)
@Period("1 s")
public final class JournalSyncEvent extends Event {
  public static final String NAME = "raftkv.JournalSync";

  @Label("Directory")
  @Description("The store's absolute data directory (a node's journal or snapshot store)")
  public String directory;

  @Label("Fsync")
  @Description("The plugin's fsync setting: every write syncs the WAL")
  public boolean fsync;

  @Label("WAL Syncs")
  @Description("RocksDB ticker WAL_FILE_SYNCED: WAL file syncs since the store opened")
  public long walSyncs;

  @Label("Timed WAL Syncs")
  @Description("Count of RocksDB histogram WAL_FILE_SYNC_MICROS: the syncs its latency figures cover")
  public long walSyncCount;

  @Label("WAL Sync Time")
  @Description("Sum of RocksDB histogram WAL_FILE_SYNC_MICROS: time spent syncing the WAL")
  @Timespan(Timespan.MICROSECONDS)
  public long walSyncMicros;

  @Label("WAL Sync p50")
  @Description("Median of WAL_FILE_SYNC_MICROS since the store opened (RocksDB's bucket estimate)")
  @Timespan(Timespan.MICROSECONDS)
  public long walSyncP50Micros;

  @Label("WAL Sync p99")
  @Description("99th percentile of WAL_FILE_SYNC_MICROS since the store opened (RocksDB's bucket estimate)")
  @Timespan(Timespan.MICROSECONDS)
  public long walSyncP99Micros;

  @Label("WAL Sync Max")
  @Description("Longest WAL sync since the store opened")
  @Timespan(Timespan.MICROSECONDS)
  public long walSyncMaxMicros;

  @Label("Writes")
  @Description("RocksDB ticker WRITE_WITH_WAL: writes (batches) that went through the WAL")
  public long writes;

  @Label("WAL Bytes")
  @Description("RocksDB ticker WAL_FILE_BYTES: bytes written to the WAL")
  @DataAmount
  public long walBytes;
}
