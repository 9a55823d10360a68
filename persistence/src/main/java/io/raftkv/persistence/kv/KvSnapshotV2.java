package io.raftkv.persistence.kv;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * Reads {@link KvSnapshotFormat} version 2 (written by older builds) as a stream: memory stays
 * bounded by the buffer and the map being built, whatever the size of the state. Its writer, kept
 * to test this reader, is in the tests ({@code KvSnapshotV2Writer}).
 */
final class KvSnapshotV2 {

  /** Buffer between the encoder and the stream, both ways. */
  static final int BUFFER_BYTES = 64 * 1024;

  private static final byte ENTRY = 1;
  private static final byte END_OF_ENTRIES = 0;

  private KvSnapshotV2() {}

  /**
   * Reads the rest of a version-2 snapshot from {@code source} to its end.
   *
   * @param crc the checksum of the bytes read already (the version)
   */
  static KvSnapshotFormat.Contents read(InputStream source, CRC32C crc) throws IOException {
    // The checksum sits above the buffer: it must cover exactly the bytes decoded, not those
    // read ahead, so that it can be compared with the checksum field that follows them.
    DataInputStream in =
        new DataInputStream(
            new CheckedInputStream(new BufferedInputStream(source, BUFFER_BYTES), crc));
    long entriesRead = 0;
    try {
      long lastAppliedIndex = in.readLong();
      if (lastAppliedIndex < 0) {
        throw new InvalidSnapshotException("negative lastAppliedIndex " + lastAppliedIndex);
      }
      int sessionCount = in.readInt();
      if (sessionCount < 0) {
        throw new InvalidSnapshotException("negative session count " + sessionCount);
      }
      List<ClientSession> sessions =
          KvSnapshotCodec.readSessions(in, sessionCount, lastAppliedIndex);
      KvStore.Restored entries = new KvStore.Restored(lastAppliedIndex);
      String previous = null;
      for (byte marker = in.readByte(); marker != END_OF_ENTRIES; marker = in.readByte()) {
        if (marker != ENTRY) {
          throw new InvalidSnapshotException(
              "unknown entry marker " + marker + " after " + entriesRead + " entries");
        }
        byte[] keyBytes = KvSnapshotCodec.readBytes(in, "key");
        String key = KvSnapshotCodec.decodeKey(keyBytes);
        if (previous != null) {
          int order = previous.compareTo(key);
          if (order == 0) {
            throw new InvalidSnapshotException("key '" + key + "' repeated");
          }
          if (order > 0) {
            throw new InvalidSnapshotException(
                "keys out of order: '" + key + "' after '" + previous + "'");
          }
        }
        entries.add(key, keyBytes.length, KvSnapshotCodec.readBytes(in, "value"));
        entriesRead++;
        previous = key;
      }
      long entryCount = in.readLong();
      long valueBytes = in.readLong();
      int computed = (int) crc.getValue();
      int expected = in.readInt();
      if (computed != expected) {
        throw new InvalidSnapshotException(
            "snapshot checksum mismatch (CRC32C after " + entriesRead + " entries): corrupted");
      }
      if (entryCount != entries.keys()) {
        throw new InvalidSnapshotException(
            "snapshot states " + entryCount + " entries but holds " + entries.keys());
      }
      if (valueBytes != entries.valueBytes()) {
        throw new InvalidSnapshotException(
            "snapshot states " + valueBytes + " value bytes but holds " + entries.valueBytes());
      }
      if (in.read() != -1) {
        throw new InvalidSnapshotException("unexpected bytes after the checksum");
      }
      return new KvSnapshotFormat.Contents(lastAppliedIndex, entries, sessions);
    } catch (EOFException e) {
      throw new InvalidSnapshotException(
          "snapshot ends early (truncated) after " + entriesRead + " entries", e);
    } catch (UTFDataFormatException e) {
      throw new InvalidSnapshotException("malformed text in a session result", e);
    }
  }
}
