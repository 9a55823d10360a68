package io.raftkv.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class RocksDbTuningTest {
  private static final String JOURNAL = "raftkv.persistence.journal";

  @Test
  void theShippedDefaultsReuseTheJournalsWalFilesButNotTheSnapshotStores() {
    Config reference = ConfigFactory.defaultReference().resolve();
    assertEquals(new RocksDbTuning(4, 4L << 20), RocksDbTuning.fromPluginConfig(reference.getConfig(JOURNAL), JOURNAL));
    assertEquals(new RocksDbTuning(0, 64L << 20),
        RocksDbTuning.fromPluginConfig(reference.getConfig("raftkv.persistence.snapshot-store"), "raftkv.persistence.snapshot-store"));
  }

  @Test
  void readsSizesWithUnitsAndAcceptsTheBounds() {
    assertEquals(new RocksDbTuning(0, 64L << 10), read("wal-recycle-files = 0, write-buffer-bytes = 64 KiB"));
    assertEquals(new RocksDbTuning(64, 1L << 30), read("wal-recycle-files = 64, write-buffer-bytes = 1 GiB"));
  }

  @Test
  void aValueOutOfRangeIsRefusedNamingItsFullKey() {
    refused("wal-recycle-files = -1, write-buffer-bytes = 4 MiB", JOURNAL + ".wal-recycle-files must be between 0 and 64, was -1");
    refused("wal-recycle-files = 65, write-buffer-bytes = 4 MiB", JOURNAL + ".wal-recycle-files must be between 0 and 64, was 65");
    refused("wal-recycle-files = 4, write-buffer-bytes = 65535", JOURNAL + ".write-buffer-bytes must be between 64 KiB and 1 GiB, was 65535 bytes");
    refused("wal-recycle-files = 4, write-buffer-bytes = 2 GiB", JOURNAL + ".write-buffer-bytes must be between 64 KiB and 1 GiB");
  }

  @Test
  void aMissingOrMistypedValueIsRefusedNamingItsFullKey() {
    refused("write-buffer-bytes = 4 MiB", JOURNAL + ".wal-recycle-files: ");
    refused("wal-recycle-files = some, write-buffer-bytes = 4 MiB", JOURNAL + ".wal-recycle-files: ");
    refused("wal-recycle-files = 4, write-buffer-bytes = big", JOURNAL + ".write-buffer-bytes: ");
  }

  private static RocksDbTuning read(String hocon) {
    return RocksDbTuning.fromPluginConfig(ConfigFactory.parseString(hocon), JOURNAL);
  }

  private static void refused(String hocon, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(hocon));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }
}
