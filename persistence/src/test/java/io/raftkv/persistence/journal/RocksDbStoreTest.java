package io.raftkv.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;

class RocksDbStoreTest {
  private static final String PLUGIN = "raftkv.persistence.journal";

  @Test
  void createsAMissingDirectoryAndListsTheOpenStoreUntilClosed() {
    Path dir = TestConfigs.freshDir("store").resolve("a/b/journal");
    RocksDbStore store = RocksDbStore.open(config(dir), PLUGIN);
    try {
      assertTrue(Files.isDirectory(dir));
      assertTrue(RocksDbStore.tickerCount(dir, TickerType.WAL_FILE_SYNCED).isPresent());
    } finally {
      store.close();
    }
    assertFalse(RocksDbStore.tickerCount(dir, TickerType.WAL_FILE_SYNCED).isPresent());
  }

  @Test
  void anUncreatableDirectoryFailsNamingTheConfigKeyAndPath() throws Exception {
    // A path below a regular file cannot be created, even by root.
    Path file = TestConfigs.freshDir("store").resolve("a-file");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "not a directory");
    Path dir = file.resolve("journal");

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> RocksDbStore.open(config(dir), PLUGIN));
    assertTrue(e.getMessage().contains(PLUGIN + ".dir"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  /**
   * With a 64 KiB memtable the WAL rolls over every few dozen writes. A fresh WAL file starts
   * empty; a reused one keeps its earlier life's length, so a WAL file first seen already holding
   * far more than one write is a reused one. Keys are overwritten round after round, so a record left
   * in a reused file from its earlier life, if recovery replayed it, would bring back an old value:
   * after reopening, every key must hold its last value.
   */
  @Test
  void reusesObsoleteWalFilesAndRecoversOnlyTheLatestWrites() throws Exception {
    Path dir = TestConfigs.freshDir("store-recycle").resolve("journal");
    Config config = config(dir, 2, 64 << 10);
    int keys = 100;
    int writes = 3000;
    Map<String, Long> firstSeenBytes = new TreeMap<>(); // WAL file name -> its length when first listed
    RocksDbStore store = RocksDbStore.open(config, PLUGIN);
    try {
      for (int i = 0; i < writes; i++) {
        try (WriteBatch batch = new WriteBatch()) {
          batch.put(key(i % keys), value(i));
          store.write(batch);
        }
        try (Stream<Path> files = Files.list(dir)) {
          for (Path wal : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
            if (firstSeenBytes.containsKey(wal.getFileName().toString())) continue;
            try {
              firstSeenBytes.put(wal.getFileName().toString(), Files.size(wal));
            } catch (NoSuchFileException gone) {
              // deleted, or renamed for reuse, between the listing and this look
            }
          }
        }
      }
    } finally {
      store.close();
    }
    long oneWrite = value(writes).length;
    assertTrue(firstSeenBytes.size() > 3, "the WAL never rolled over: " + firstSeenBytes);
    assertTrue(firstSeenBytes.values().stream().anyMatch(bytes -> bytes > 8 * oneWrite),
        "no WAL file was reused in " + writes + " writes; first seen lengths: " + firstSeenBytes);

    RocksDbStore reopened = RocksDbStore.open(config, PLUGIN);
    try {
      for (int k = 0; k < keys; k++) {
        int last = writes - keys + k;
        assertArrayEquals(value(last), reopened.db.get(key(k)), "key " + k);
      }
    } finally {
      reopened.close();
    }
  }

  private static byte[] key(int k) {
    return ("key-" + k).getBytes(StandardCharsets.UTF_8);
  }

  /** About 1 KiB, naming the write that made it. */
  private static byte[] value(int write) {
    return ("write-" + write + "-" + "v".repeat(1000)).getBytes(StandardCharsets.UTF_8);
  }

  private static Config config(Path dir) {
    return config(dir, 4, 4 << 20);
  }

  private static Config config(Path dir, int walRecycleFiles, long writeBufferBytes) {
    return ConfigFactory.parseMap(Map.of("dir", dir.toString(), "fsync", true, "wal-recycle-files", walRecycleFiles,
        "write-buffer-bytes", writeBufferBytes));
  }
}
