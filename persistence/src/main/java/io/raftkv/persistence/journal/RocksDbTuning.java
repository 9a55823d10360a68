package io.raftkv.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * How a plugin's RocksDB database sizes its memtable and whether it reuses write-ahead log files,
 * read from the plugin's config section and checked before the database opens.
 *
 * <p>Why recycle: a synced append to a fresh WAL file makes ext4 commit the file's metadata (the
 * new size, the blocks that became written) on every fdatasync; overwriting a recycled file's
 * blocks leaves the metadata alone, and the sync writes data only. On this project's machine that
 * took a lone 4 KiB synced write from 0.17 to 0.10 ms (docs/PERFORMANCE.md, step 2). A WAL file
 * becomes recyclable once the memtable it backs is flushed, which is why the journal's memtable is
 * small: it flushes, and so recycles, every few MiB of writes instead of every 64 MiB.
 *
 * <p>Recycling is safe with the point-in-time recovery the store uses: a recycled file's records
 * carry their log number, so recovery stops at the first record left over from the file's earlier
 * life, as it stops at a torn tail.
 *
 * @param walRecycleFiles how many obsolete WAL files are kept for reuse (0: none, RocksDB's default)
 * @param writeBufferBytes the memtable's size in bytes; the WAL rolls over when it fills
 */
public record RocksDbTuning(int walRecycleFiles, long writeBufferBytes) {
  public static final int WAL_RECYCLE_FILES_MAX = 64;
  public static final long WRITE_BUFFER_BYTES_MIN = 64L << 10;
  public static final long WRITE_BUFFER_BYTES_MAX = 1L << 30;

  public RocksDbTuning {
    if (walRecycleFiles < 0 || walRecycleFiles > WAL_RECYCLE_FILES_MAX) {
      throw new IllegalArgumentException("wal-recycle-files must be between 0 and " + WAL_RECYCLE_FILES_MAX + ", was " + walRecycleFiles);
    }
    if (writeBufferBytes < WRITE_BUFFER_BYTES_MIN || writeBufferBytes > WRITE_BUFFER_BYTES_MAX) {
      throw new IllegalArgumentException("write-buffer-bytes must be between 64 KiB and 1 GiB, was " + writeBufferBytes + " bytes");
    }
  }

  /**
   * Reads {@code wal-recycle-files} and {@code write-buffer-bytes} from a plugin's section.
   *
   * @param pluginConfigPath where the section lives, e.g. {@code raftkv.persistence.journal}: a
   *     refusal names the full key
   * @throws IllegalArgumentException naming the key, for a missing, mistyped or out-of-range value
   */
  public static RocksDbTuning fromPluginConfig(Config pluginConfig, String pluginConfigPath) {
    int recycle;
    long buffer;
    try {
      recycle = pluginConfig.getInt("wal-recycle-files");
    } catch (ConfigException e) {
      throw new IllegalArgumentException(pluginConfigPath + ".wal-recycle-files: " + e.getMessage(), e);
    }
    try {
      buffer = pluginConfig.getBytes("write-buffer-bytes");
    } catch (ConfigException e) {
      throw new IllegalArgumentException(pluginConfigPath + ".write-buffer-bytes: " + e.getMessage(), e);
    }
    try {
      return new RocksDbTuning(recycle, buffer);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(pluginConfigPath + "." + e.getMessage(), e);
    }
  }
}
