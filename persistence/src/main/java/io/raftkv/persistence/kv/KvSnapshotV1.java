package io.raftkv.persistence.kv;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads {@link KvSnapshotFormat} version 1, the one-array form older builds wrote. Read only: this
 * build writes version 2. The checksum is checked before anything is decoded.
 */
final class KvSnapshotV1 {

  private static final int VERSION_BYTES = Integer.BYTES;
  private static final int CHECKSUM_BYTES = Integer.BYTES;

  private KvSnapshotV1() {}

  /** @param snapshot the whole snapshot, its version (1) included */
  static KvSnapshotFormat.Contents read(byte[] snapshot) {
    if (snapshot.length < VERSION_BYTES + CHECKSUM_BYTES) {
      throw new InvalidSnapshotException(
          "snapshot too short to hold a format version and a checksum: "
              + snapshot.length + " bytes");
    }
    int bodyBytes = snapshot.length - CHECKSUM_BYTES;
    CRC32C crc = new CRC32C();
    crc.update(snapshot, 0, bodyBytes);
    int expected = ByteBuffer.wrap(snapshot).getInt(bodyBytes);
    if ((int) crc.getValue() != expected) {
      throw new InvalidSnapshotException(
          "snapshot checksum mismatch (CRC32C over " + bodyBytes + " bytes): corrupted");
    }
    try {
      DataInputStream in =
          new DataInputStream(
              new ByteArrayInputStream(snapshot, VERSION_BYTES, bodyBytes - VERSION_BYTES));
      KvSnapshotFormat.Contents contents = readBody(in);
      if (in.available() != 0) {
        throw new InvalidSnapshotException(in.available() + " unexpected bytes after the sessions");
      }
      return contents;
    } catch (EOFException e) {
      throw new InvalidSnapshotException("snapshot ends early", e);
    } catch (IOException e) {
      throw new UncheckedIOException("a ByteArrayInputStream does not fail", e);
    }
  }

  private static KvSnapshotFormat.Contents readBody(DataInputStream in) throws IOException {
    long lastAppliedIndex = in.readLong();
    if (lastAppliedIndex < 0) {
      throw new InvalidSnapshotException("negative lastAppliedIndex " + lastAppliedIndex);
    }
    int entryCount = readCount(in, "entry");
    KvStore.Restored entries = new KvStore.Restored(lastAppliedIndex);
    String previous = null;
    for (int i = 0; i < entryCount; i++) {
      byte[] keyBytes = readBytes(in, "key");
      String key = KvSnapshotCodec.decodeKey(keyBytes);
      if (previous != null && previous.compareTo(key) >= 0) {
        throw new InvalidSnapshotException(
            "keys out of order: '" + key + "' after '" + previous + "'");
      }
      entries.add(key, keyBytes.length, readBytes(in, "value"));
      previous = key;
    }
    int sessionCount = readCount(in, "session");
    List<ClientSession> sessions = KvSnapshotCodec.readSessions(in, sessionCount, lastAppliedIndex);
    return new KvSnapshotFormat.Contents(lastAppliedIndex, entries, sessions);
  }

  /** Checks the length against what is left before allocating: a bad one cannot exhaust memory. */
  private static byte[] readBytes(DataInputStream in, String what) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new InvalidSnapshotException(
          what + " length " + length + " does not fit the " + in.available() + " bytes left");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  private static int readCount(DataInputStream in, String what) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > in.available()) {
      throw new InvalidSnapshotException(
          what + " count " + count + " does not fit the " + in.available() + " bytes left");
    }
    return count;
  }
}
