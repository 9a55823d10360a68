package io.raftkv.persistence.kv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The binary snapshot of a {@link KvStateMachine}, written with {@code DataOutputStream}
 * (big-endian). The first int is the format version. This build writes version 3 and reads all
 * three.
 *
 * <p>Version 3 holds each key's history since the compacted revision ({@link KvStore} says which
 * versions): what a replica restored from it needs to answer reads at past revisions and watches
 * as the replica that wrote it would.
 *
 * <pre>
 * int  formatVersion = 3
 * long lastAppliedIndex
 * long compactedRevision
 * int  sessionCount, then per session in client id order:
 *        long clientId, long lastSequence, long lastUsedIndex, result
 * int  leaseCount, then per lease in id order: long id, long ttlSeconds, long refreshIndex
 * per key in key order ({@link String#compareTo}), no key twice:
 *        byte 1, int keyLength, key as UTF-8, int versionCount (at least 1), then per version,
 *        newest first: long modRevision, byte kind: 0 tombstone | 1 live: long createRevision,
 *        long version, long lease (0: none; the newest version's must be among the leases),
 *        int valueLength, value bytes
 * byte 0
 * long keyCount
 * long versionCount: of every key
 * long valueBytes: the sum of the valueLengths
 * int  CRC32C of every byte before it
 * </pre>
 *
 * Versions 2 and 1 (written by older builds, never changed; read only) hold no history: each key
 * reads as created at the snapshot's index, which becomes the compacted revision.
 *
 * <p>Versions 2 and 3 are streamed: written while the entries are iterated and read while they are
 * inserted, so neither side holds the snapshot as one array (a state may be far larger than any
 * buffer on the path). Hence the entries come last, each behind a marker byte, and their count
 * after them; the checksum is computed as the bytes pass. Version 2:
 *
 * <pre>
 * int  formatVersion = 2
 * long lastAppliedIndex
 * int  sessionCount, then per session in client id order:
 *        long clientId, long lastSequence, long lastUsedIndex, result
 * per entry in key order ({@link String#compareTo}), no key twice:
 *        byte 1, int keyLength, key as UTF-8, int valueLength, value bytes
 * byte 0
 * long entryCount
 * long valueBytes: the sum of the valueLengths
 * int  CRC32C of every byte before it
 * </pre>
 *
 * Version 1 (written by older builds as one array, never changed; read only):
 *
 * <pre>
 * int  formatVersion = 1
 * long lastAppliedIndex
 * int  entryCount, then per entry in key order:
 *        int keyLength, key as UTF-8; int valueLength, value bytes
 * int  sessionCount, then per session in client id order:
 *        long clientId, long lastSequence, long lastUsedIndex, result
 * int  CRC32C of every byte before it
 * </pre>
 *
 * In all three: result is byte tag 0 none | 1 Ok | 2 NotFound | 3 LimitExceeded: UTF limit, long
 * actual, long max | 4 CasMismatch: byte present (0/1), then if present int length, bytes
 * | 5 QuotaExceeded: long stateBytes, long quotaBytes | 8 LeaseGranted: long id, long ttlSeconds
 * | 9 LeaseNotFound: long id | 6 TxnResult (tags 6 to 9: version 3 only): boolean
 * succeeded, int count, then per operation byte tag 1 Ok | 2 NotFound | 7 Value: long
 * createRevision, long modRevision, long version, int length, bytes ({@link KvSnapshotCodec}). Tag 5 came with
 * the space quota: every snapshot written before it reads as it always did, and a build older
 * than it refuses one holding tag 5 by name ("unknown session result tag 5") rather than misread
 * it; all nodes of a cluster run the same build.
 *
 * <p>Why not Kryo, although the wire uses it: a snapshot outlives the code that wrote it (it is
 * kept on disk and shipped to lagging followers by InstallSnapshot), and Kryo's bytes depend on
 * the registration ids and on the exact fields of each record, which do not tolerate changes.
 * Here the layout is written down once, versioned by its first int so a later build can still
 * read an old version (or refuse it by name), and checked by a checksum, since a snapshot that
 * is wrong in one byte would silently fork a replica's state.
 */
final class KvSnapshotFormat {

  static final int VERSION_1 = 1;
  static final int VERSION_2 = 2;
  static final int VERSION_3 = 3;

  /** What a snapshot holds, decoded and checked. */
  record Contents(long lastAppliedIndex, KvStore.Restored entries, List<ClientSession> sessions, List<KvLease> leases) {
    /** A snapshot of a format without leases. */
    Contents(long lastAppliedIndex, KvStore.Restored entries, List<ClientSession> sessions) {
      this(lastAppliedIndex, entries, sessions, List.of());
    }
  }

  private KvSnapshotFormat() {}

  /**
   * Writes a version-3 snapshot of {@code keys} (each value handed over read-only) to
   * {@code out}, which is flushed, not closed.
   */
  static void write(
      OutputStream out,
      long lastAppliedIndex,
      long compactedRevision,
      List<ClientSession> sessions,
      List<KvLease> leases,
      Iterator<KvStore.KeyHistory> keys)
      throws IOException {
    KvSnapshotV3.write(out, lastAppliedIndex, compactedRevision, sessions, leases, keys);
  }

  /**
   * Reads a snapshot of either version from {@code in}, to its end, and checks it.
   *
   * @throws InvalidSnapshotException if the version is unknown or the snapshot breaks its format
   *     (checksum, counts, order, truncation)
   */
  static Contents read(InputStream in) throws IOException {
    // The version comes first: a later format may change everything after it, checksum included.
    byte[] versionBytes = in.readNBytes(Integer.BYTES);
    if (versionBytes.length < Integer.BYTES) {
      throw new InvalidSnapshotException(
          "snapshot too short to hold a format version: " + versionBytes.length + " bytes");
    }
    int version = ByteBuffer.wrap(versionBytes).getInt();
    if (version == VERSION_3 || version == VERSION_2) {
      CRC32C crc = new CRC32C(); // streamed versions: the checksum covers the version too
      crc.update(versionBytes);
      return version == VERSION_3 ? KvSnapshotV3.read(in, crc) : KvSnapshotV2.read(in, crc);
    }
    if (version == VERSION_1) {
      // Version 1 was written as one array (at most the 64 MiB of a journal event), and checks
      // its checksum before decoding: read it whole, as it was written.
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      whole.write(versionBytes);
      in.transferTo(whole);
      return KvSnapshotV1.read(whole.toByteArray());
    }
    throw new InvalidSnapshotException(
        "unsupported snapshot format version " + version + "; this build reads versions "
            + VERSION_1 + " to " + VERSION_3);
  }
}
