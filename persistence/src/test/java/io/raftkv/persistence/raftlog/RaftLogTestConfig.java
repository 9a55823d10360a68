package io.raftkv.persistence.raftlog;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftkv.persistence.journal.TestConfigs;
import java.nio.file.Path;

/** Config for the Raft log's tests: the RocksDB plugins in {@code dataDir} plus the test command's Kryo id. */
final class RaftLogTestConfig {
  /** Kryo id of {@link TestWrite}; part of the format-version-1 fixture, never change it. */
  static final int TEST_WRITE_ID = 920;

  private RaftLogTestConfig() {}

  /** Journal in {@code dataDir/journal}, snapshots in {@code dataDir/snapshots}, fsync on. */
  static Config config(Path dataDir) {
    return ConfigFactory.parseString(
            "raftkv.kryo.classes { \"" + TestWrite.class.getName() + "\" = " + TEST_WRITE_ID + " }")
        .withFallback(TestConfigs.plugins(dataDir, true));
  }

  /** A config without persistence directories, for tests that only serialize. */
  static Config serializationOnly() {
    return config(TestConfigs.freshDir("raftlog-unused"));
  }

  static Path freshDir(String name) {
    return TestConfigs.freshDir(name);
  }
}
