package io.raftkv.persistence.snapshot;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A snapshot arriving from a leader in chunks (InstallSnapshot), appended in order to a temporary
 * file of its {@link SnapshotFiles}; {@link #complete} checks it against what the leader announced
 * and gives it its final name. A chunk not at {@link #nextOffset()} (a duplicate, or one after a
 * lost one) is ignored, and the answer tells the leader where to go on from. Used by one thread
 * at a time; the methods are synchronized so that {@link SnapshotFiles#receive} may close it from
 * another.
 */
public final class SnapshotReceiver implements Closeable {

  private final SnapshotFiles files;
  private final long index;
  private final long term;
  private final long bytesMax;
  private final String fileName;
  private final Path temporary;
  private final FileChannel channel;
  private final CRC32C crc = new CRC32C();
  private long nextOffset;
  private boolean ended;

  SnapshotReceiver(
      SnapshotFiles files, long index, long term, long bytesMax, String fileName, Path temporary)
      throws IOException {
    this.files = files;
    this.index = index;
    this.term = term;
    this.bytesMax = bytesMax;
    this.fileName = fileName;
    this.temporary = temporary;
    try {
      this.channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
    } catch (IOException e) {
      files.forgetTemporary(temporary, false);
      files.receiverEnded(this);
      throw e;
    }
  }

  public long index() {
    return index;
  }

  public long term() {
    return term;
  }

  /** The offset of the next byte expected: the number of bytes received in order so far. */
  public synchronized long nextOffset() {
    return nextOffset;
  }

  /**
   * Appends {@code chunk} if {@code offset == nextOffset()}, else ignores it; returns
   * {@link #nextOffset()}.
   *
   * @throws IOException if the snapshot would exceed {@code bytesMax} (the receiver is then
   *     closed, its file dropped), or writing fails
   * @throws IllegalStateException once completed or closed
   */
  public synchronized long offer(long offset, byte[] chunk) throws IOException {
    requireOpen();
    if (offset != nextOffset) {
      return nextOffset;
    }
    if (chunk.length > bytesMax - nextOffset) {
      close();
      throw new IOException(
          "snapshot " + fileName + " exceeds bytesMax = " + bytesMax + " bytes: a chunk of "
              + chunk.length + " at offset " + offset);
    }
    ByteBuffer bytes = ByteBuffer.wrap(chunk);
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    crc.update(chunk);
    nextOffset += chunk.length;
    return nextOffset;
  }

  /**
   * All bytes are in: checks the size and CRC32C against what the leader announced, fsyncs,
   * renames the file to its final name and fsyncs the directory.
   *
   * @throws IOException on a size or CRC32C mismatch (the temporary file is then deleted), or if
   *     writing fails
   * @throws IllegalStateException once completed or closed
   */
  public synchronized SnapshotRef complete(long sizeBytes, int crc32c) throws IOException {
    requireOpen();
    ended = true;
    boolean renamed = false;
    try (channel) {
      if (nextOffset != sizeBytes) {
        throw new IOException(
            "snapshot " + fileName + ": received " + nextOffset + " bytes, the leader announced "
                + sizeBytes);
      }
      if ((int) crc.getValue() != crc32c) {
        throw new IOException(
            "snapshot " + fileName + ": CRC32C " + Integer.toHexString((int) crc.getValue())
                + " of the bytes received differs from the " + Integer.toHexString(crc32c)
                + " the leader announced");
      }
      if (files.fsync()) {
        channel.force(true);
      }
      channel.close();
      files.moveIntoPlace(temporary, fileName);
      renamed = true;
      return new SnapshotRef(index, term, fileName, sizeBytes, crc32c);
    } finally {
      files.forgetTemporary(temporary, renamed);
      files.receiverEnded(this);
    }
  }

  /** Drops the partial file; no-op once completed or closed. */
  @Override
  public synchronized void close() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      try {
        channel.close();
      } finally {
        files.forgetTemporary(temporary, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not drop the partial snapshot " + temporary, e);
    } finally {
      files.receiverEnded(this);
    }
  }

  private void requireOpen() {
    if (ended) {
      throw new IllegalStateException("the receiver of " + fileName + " was completed or closed");
    }
  }
}
