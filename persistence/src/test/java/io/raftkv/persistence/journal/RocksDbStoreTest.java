package io.raftkv.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.TickerType;

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

  private static Config config(Path dir) {
    return ConfigFactory.parseMap(Map.of("dir", dir.toString(), "fsync", true));
  }
}
