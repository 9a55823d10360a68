package io.raftkv.debug;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where one node's captures are written before they are streamed out: a directory of its own under
 * {@code java.io.tmpdir}, not the data directory, whose disk is the journal's. Each file is deleted
 * once its answer has been sent; whatever an interrupted answer left goes with the directory when
 * the node stops.
 */
public final class DebugFiles implements AutoCloseable {
  private final Path dir;

  private DebugFiles(Path dir) {
    this.dir = dir;
  }

  public static DebugFiles create(int nodeId) throws IOException {
    return new DebugFiles(Files.createTempDirectory("raftkv-debug-node" + nodeId + "-"));
  }

  /**
   * A fresh name in the directory with no file behind it yet: the profiler or JFR creates it, so a
   * capture that wrote nothing shows. The directory is this node's alone (owner-only), so no one
   * else takes the name meanwhile.
   */
  public Path newFile(String prefix, String suffix) throws IOException {
    Path file = Files.createTempFile(dir, prefix, suffix);
    Files.delete(file);
    return file;
  }

  /** Deletes {@code file}, quietly: a capture's answer is sent already, or failed. */
  public static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the directory goes when the node stops
    }
  }

  @Override
  public void close() {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(DebugFiles::delete);
    } catch (IOException e) {
      // already gone
    }
  }
}
