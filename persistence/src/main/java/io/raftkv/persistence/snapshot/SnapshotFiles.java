package io.raftkv.persistence.snapshot;

import io.raftkv.persistence.statemachine.SnapshotWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The snapshot files in one node's data directory: written from a state machine's
 * {@link SnapshotWriter}, or received from a leader in chunks ({@link SnapshotReceiver}); opened
 * for a restore, or read in chunks to send to a follower.
 *
 * <p>A file appears under its final name, {@code snapshot-<index>-<term>.snap}, only whole and
 * durable: it is written under a temporary name ({@code <final name>.<n>.tmp}), fsynced, renamed
 * atomically, and the directory fsynced (with {@code fsync} on), so after a crash a final name
 * holds a complete file, and a temporary one is a leftover, deleted when the directory is next
 * opened. Size and CRC32C, kept in the {@link SnapshotRef} the log records, are checked again
 * whenever a file is read whole, so a file damaged on disk is refused rather than restored.
 *
 * <p>One instance per directory. Methods may be called from any thread; {@link #write} and a
 * receiver's {@code complete} block on disk I/O, so call them off an actor's thread.
 */
public final class SnapshotFiles {

  /** Buffer between a snapshot writer (or reader) and the file. */
  static final int BUFFER_BYTES = 64 * 1024;

  private static final Pattern SNAPSHOT_NAME = Pattern.compile("snapshot-\\d+-\\d+\\.snap");
  private static final Pattern TEMPORARY_NAME =
      Pattern.compile("snapshot-\\d+-\\d+\\.snap\\.\\d+\\.tmp");

  private final Path dir;
  private final boolean fsync;
  private final AtomicLong temporaries = new AtomicLong();
  /** Temporary files being written or received now: {@link #retainOnly} leaves them alone. */
  private final Set<String> activeTemporaries = ConcurrentHashMap.newKeySet();
  /** The receiver started last, until it ends; guarded by this. */
  private SnapshotReceiver receiver;

  /**
   * Opens (creating it if needed) {@code dir} and deletes the temporary files a crash left.
   *
   * @param fsync whether files and the directory are fsynced before a snapshot counts as written
   *     (off only in tests)
   */
  public SnapshotFiles(Path dir, boolean fsync) throws IOException {
    this.dir = Files.createDirectories(Objects.requireNonNull(dir, "dir"));
    this.fsync = fsync;
    deleteTemporaries();
  }

  public Path dir() {
    return dir;
  }

  /** The final name of the snapshot through {@code index}, whose entry has {@code term}. */
  static String fileName(long index, long term) {
    return "snapshot-" + index + "-" + term + ".snap";
  }

  /**
   * Streams {@code writer}'s output to a temporary file, computing its size and CRC32C; fsyncs
   * it, renames it atomically to its final name and fsyncs the directory. Blocking: call it off
   * the actor's thread. On failure nothing is left behind.
   *
   * @param term the term of the entry at {@code writer.index()}
   */
  public SnapshotRef write(long term, SnapshotWriter writer) throws IOException {
    long index = writer.index();
    String name = fileName(index, term);
    Path temporary = createTemporary(name);
    boolean renamed = false;
    try {
      CRC32C crc = new CRC32C();
      long sizeBytes;
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        OutputStream out =
            new BufferedOutputStream(
                new CheckedOutputStream(Channels.newOutputStream(channel), crc), BUFFER_BYTES);
        writer.writeTo(out);
        out.flush();
        if (fsync) {
          channel.force(true);
        }
        sizeBytes = channel.size();
      }
      moveIntoPlace(temporary, name);
      renamed = true;
      return new SnapshotRef(index, term, name, sizeBytes, (int) crc.getValue());
    } finally {
      forgetTemporary(temporary, renamed);
    }
  }

  /**
   * A buffered stream of the file of {@code ref}. When the file is read to its end, or past the
   * size the ref records, and its size or CRC32C differ from the ref's, the read throws
   * IOException: a reader that reads to the end (as a restore does) never accepts a damaged file.
   */
  public InputStream open(SnapshotRef ref) throws IOException {
    return new BufferedInputStream(
        new VerifyingInputStream(Files.newInputStream(path(ref)), ref), BUFFER_BYTES);
  }

  /**
   * Up to {@code maxBytes} of the file of {@code ref} at {@code offset} (fewer only at the end;
   * none at {@code sizeBytes}): one InstallSnapshot chunk.
   *
   * @throws IOException if the file is missing or its size is not the ref's
   */
  public byte[] readChunk(SnapshotRef ref, long offset, int maxBytes) throws IOException {
    if (offset < 0 || offset > ref.sizeBytes() || maxBytes < 1) {
      throw new IllegalArgumentException(
          "chunk at offset " + offset + " of up to " + maxBytes + " bytes of a "
              + ref.sizeBytes() + "-byte snapshot");
    }
    try (FileChannel channel = FileChannel.open(path(ref), StandardOpenOption.READ)) {
      if (channel.size() != ref.sizeBytes()) {
        throw new IOException(
            ref.fileName() + " is " + channel.size() + " bytes; the log records "
                + ref.sizeBytes());
      }
      ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(maxBytes, ref.sizeBytes() - offset));
      while (chunk.hasRemaining()) {
        if (channel.read(chunk, offset + chunk.position()) < 0) {
          throw new EOFException(ref.fileName() + " ends at " + (offset + chunk.position()));
        }
      }
      return chunk.array();
    }
  }

  /**
   * Starts receiving the snapshot through {@code index} (term {@code term}) from a leader, at
   * most {@code bytesMax} bytes. A receiver already started (for any snapshot) is closed first and
   * its partial file dropped: one leader sends one snapshot at a time.
   */
  public SnapshotReceiver receive(long index, long term, long bytesMax) throws IOException {
    if (index < 0 || term < 0 || bytesMax < 0) {
      throw new IllegalArgumentException(
          "index, term and bytesMax must be >= 0: " + index + ", " + term + ", " + bytesMax);
    }
    String name = fileName(index, term);
    SnapshotReceiver started =
        new SnapshotReceiver(this, index, term, bytesMax, name, createTemporary(name));
    SnapshotReceiver previous;
    synchronized (this) {
      previous = receiver;
      receiver = started;
    }
    // Closed outside this object's lock: a receiver ending takes its own lock, then this one.
    if (previous != null) {
      previous.close();
    }
    return started;
  }

  /**
   * Deletes every snapshot file not named in {@code keep}, and the temporary files of no write
   * or receiver under way. Files of other names are left alone. A file written (or received)
   * whose ref the log does not hold yet is not protected: pass its ref in {@code keep} too.
   */
  public void retainOnly(Collection<SnapshotRef> keep) throws IOException {
    Set<String> kept = keep.stream().map(SnapshotRef::fileName).collect(Collectors.toSet());
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (SNAPSHOT_NAME.matcher(name).matches() && !kept.contains(name)) {
          Files.deleteIfExists(file);
        } else if (TEMPORARY_NAME.matcher(name).matches()
            && !activeTemporaries.contains(name)) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** Whether the file of {@code ref} is there, with the size the ref records. */
  public boolean exists(SnapshotRef ref) {
    try {
      return Files.size(path(ref)) == ref.sizeBytes();
    } catch (IOException e) {
      return false; // missing (NoSuchFileException) or unreadable: not there for a restore
    }
  }

  /**
   * The file of {@code ref}; refuses a name that is not a snapshot file's (the ref comes from
   * the log, and no name in it may point elsewhere).
   */
  private Path path(SnapshotRef ref) {
    if (!SNAPSHOT_NAME.matcher(ref.fileName()).matches()) {
      throw new IllegalArgumentException("not a snapshot file name: " + ref.fileName());
    }
    return dir.resolve(ref.fileName());
  }

  /** A new, empty temporary file for {@code finalName}, registered before it exists. */
  Path createTemporary(String finalName) throws IOException {
    String name = finalName + "." + temporaries.incrementAndGet() + ".tmp";
    activeTemporaries.add(name);
    try {
      return Files.createFile(dir.resolve(name));
    } catch (IOException e) {
      activeTemporaries.remove(name);
      throw e;
    }
  }

  /** Renames a complete, synced temporary file to {@code finalName}, durably. */
  void moveIntoPlace(Path temporary, String finalName) throws IOException {
    Files.move(temporary, dir.resolve(finalName), StandardCopyOption.ATOMIC_MOVE);
    if (fsync) {
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    }
  }

  /** Ends a temporary file's life: deleted unless it was renamed. */
  void forgetTemporary(Path temporary, boolean renamed) throws IOException {
    try {
      if (!renamed) {
        Files.deleteIfExists(temporary);
      }
    } finally {
      activeTemporaries.remove(temporary.getFileName().toString());
    }
  }

  boolean fsync() {
    return fsync;
  }

  synchronized void receiverEnded(SnapshotReceiver ended) {
    if (receiver == ended) {
      receiver = null;
    }
  }

  private void deleteTemporaries() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        if (TEMPORARY_NAME.matcher(file.getFileName().toString()).matches()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** Counts and checksums the bytes read; checks both against the ref at the end. */
  private static final class VerifyingInputStream extends FilterInputStream {
    private final SnapshotRef ref;
    private final CRC32C crc = new CRC32C();
    private long readBytes;

    VerifyingInputStream(InputStream in, SnapshotRef ref) {
      super(in);
      this.ref = ref;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      int n = in.read(bytes, offset, length);
      if (n < 0) {
        verifyAtEnd();
        return -1;
      }
      crc.update(bytes, offset, n);
      readBytes += n;
      if (readBytes > ref.sizeBytes()) {
        throw new IOException(
            ref.fileName() + " is longer than the " + ref.sizeBytes() + " bytes the log records");
      }
      return n;
    }

    /** Reads what it skips, so that the checksum covers every byte. */
    @Override
    public long skip(long n) throws IOException {
      byte[] skipped = new byte[(int) Math.min(Math.max(n, 0), BUFFER_BYTES)];
      int read = read(skipped, 0, skipped.length);
      return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void verifyAtEnd() throws IOException {
      if (readBytes != ref.sizeBytes()) {
        throw new IOException(
            ref.fileName() + " ends after " + readBytes + " bytes; the log records "
                + ref.sizeBytes());
      }
      if ((int) crc.getValue() != ref.crc32c()) {
        throw new IOException(
            ref.fileName() + ": CRC32C " + Integer.toHexString((int) crc.getValue())
                + " differs from the " + Integer.toHexString(ref.crc32c())
                + " the log records: the file is damaged");
      }
    }
  }
}
