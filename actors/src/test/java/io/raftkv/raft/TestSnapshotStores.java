package io.raftkv.raft;

import io.raftkv.persistence.snapshot.SnapshotFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ForkJoinPool;

/** Snapshot stores for tests that run nodes in a real ActorSystem: files under a test's directory, written on the common pool. */
public final class TestSnapshotStores {
  private TestSnapshotStores() {}

  /** Snapshot files in a fresh directory under the build's test data. */
  public static SnapshotStore fresh() {
    return of(Path.of(System.getProperty("raftkv.test.dir", "target/test-data"), "snapshots-" + UUID.randomUUID()).toAbsolutePath(), 1);
  }

  /** The snapshot files of node {@code id} under {@code dataDir} (so a node restarted on the same directory finds them). */
  public static SnapshotStore of(Path dataDir, int id) {
    try {
      return new SnapshotStore(new SnapshotFiles(dataDir.resolve("raft-snapshots-" + id), false), ForkJoinPool.commonPool());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
