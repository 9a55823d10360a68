package io.raftkv.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.UUID;

/**
 * Config for tests that run the RocksDB plugins in a local, network-free ActorSystem. Public for
 * the Raft log's tests and for actors/ (through the test-jar).
 */
public final class TestConfigs {
  static {
    // Initialise logging before an ActorSystem logs from several threads at once; otherwise SLF4J
    // prints a three-line "calls during the initialization phase ... replayed" note to stderr.
    org.slf4j.LoggerFactory.getILoggerFactory();
  }

  private TestConfigs() {}

  /** A directory no other test (or earlier run) has used, under target/test-data. */
  public static Path freshDir(String name) {
    String root = System.getProperty("raftkv.test.dir", "target/test-data");
    return Paths.get(root, name + "-" + UUID.randomUUID()).toAbsolutePath();
  }

  /**
   * Journal in {@code dataDir/journal}, snapshots in {@code dataDir/snapshots}. The dirs are set
   * directly, not through {@code raftkv.data-dir}: an ActorSystem resolves reference.conf on its
   * own, so overriding the variable here would not reach the paths built from it.
   */
  public static Config plugins(Path dataDir, boolean fsync) {
    return ConfigFactory.parseString(
            String.join(
                "\n",
                "pekko.actor.provider = local",
                // A fatal error (e.g. a native library that fails to load) must fail the test, not
                // System.exit the Surefire fork.
                "pekko.jvm-exit-on-fatal-error = off",
                "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
                "pekko.loglevel = WARNING"))
        .withValue(
            "raftkv.persistence.journal.dir",
            ConfigValueFactory.fromAnyRef(dataDir.resolve("journal").toString()))
        .withValue(
            "raftkv.persistence.snapshot-store.dir",
            ConfigValueFactory.fromAnyRef(dataDir.resolve("snapshots").toString()))
        .withValue("raftkv.persistence.journal.fsync", ConfigValueFactory.fromAnyRef(fsync))
        .withValue("raftkv.persistence.snapshot-store.fsync", ConfigValueFactory.fromAnyRef(fsync));
  }
}
