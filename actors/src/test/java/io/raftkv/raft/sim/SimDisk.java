package io.raftkv.raft.sim;

import io.raftkv.persistence.snapshot.SnapshotFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The simulated nodes' snapshot files: real files (the production code writes and reads them) in a
 * temporary directory per simulator, without fsync (a simulated crash loses nothing the OS wrote),
 * deleted when the JVM exits.
 */
final class SimDisk {
  private static final List<Path> ROOTS = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ROOTS.forEach(SimDisk::deleteTree), "sim-disk-cleanup"));
  }

  private SimDisk() {}

  static Path newRoot() {
    try {
      Path root = Files.createTempDirectory("raftkv-sim-");
      ROOTS.add(root);
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Node {@code id}'s snapshot files, opened as a (re)starting node opens them. */
  static SnapshotFiles snapshotFiles(Path root, int id) {
    try {
      return new SnapshotFiles(root.resolve("node-" + id), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }
}
