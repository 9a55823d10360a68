package io.raftkv.persistence.kv;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Writes and reads {@link KvSnapshotFormat} version 3 (keys with their history) as a stream:
 * memory stays bounded by the buffer (and, reading, by the map being built), whatever the size of
 * the state.
 */
final class KvSnapshotV3 {

  private static final byte KEY = 1;
  private static final byte END_OF_KEYS = 0;
  private static final byte TOMBSTONE = 0;
  private static final byte LIVE = 1;

  /**
   * More versions of one key than this in a snapshot is taken for corruption: history holds at
   * most one version per revision, and a snapshot this large would not fit any heap anyway.
   */
  private static final int VERSIONS_PER_KEY_MAX = 1 << 24;

  private KvSnapshotV3() {}

  static void write(
      OutputStream target,
      long lastAppliedIndex,
      long compactedRevision,
      List<ClientSession> sessions,
      List<KvLease> leases,
      Iterator<KvStore.KeyHistory> keys)
      throws IOException {
    CRC32C crc = new CRC32C();
    // The checksum sits below the buffer, so it is updated a buffer at a time, not per field.
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
        new CheckedOutputStream(target, crc), KvSnapshotV2.BUFFER_BYTES));
    out.writeInt(KvSnapshotFormat.VERSION_3);
    out.writeLong(lastAppliedIndex);
    out.writeLong(compactedRevision);
    out.writeInt(sessions.size());
    for (ClientSession session : sessions) {
      KvSnapshotCodec.writeSession(out, session);
    }
    out.writeInt(leases.size());
    for (KvLease lease : leases) {
      out.writeLong(lease.id());
      out.writeLong(lease.ttlSeconds());
      out.writeLong(lease.refreshIndex());
    }
    long keyCount = 0;
    long versionCount = 0;
    long valueBytes = 0;
    while (keys.hasNext()) {
      KvStore.KeyHistory key = keys.next();
      out.writeByte(KEY);
      KvSnapshotCodec.writeBytes(out, key.key().getBytes(StandardCharsets.UTF_8));
      out.writeInt(key.versions().size());
      for (KvStore.Version version : key.versions()) {
        out.writeLong(version.modRevision());
        if (version.isTombstone()) {
          out.writeByte(TOMBSTONE);
        } else {
          out.writeByte(LIVE);
          out.writeLong(version.createRevision());
          out.writeLong(version.version());
          out.writeLong(version.lease());
          KvSnapshotCodec.writeBytes(out, version.value());
          valueBytes += version.value().length;
        }
      }
      keyCount++;
      versionCount += key.versions().size();
    }
    out.writeByte(END_OF_KEYS);
    out.writeLong(keyCount);
    out.writeLong(versionCount);
    out.writeLong(valueBytes);
    out.flush();
    out.writeInt((int) crc.getValue());
    out.flush();
  }

  /**
   * Reads the rest of a version-3 snapshot from {@code source} to its end.
   *
   * @param crc the checksum of the bytes read already (the version)
   */
  static KvSnapshotFormat.Contents read(InputStream source, CRC32C crc) throws IOException {
    // The checksum sits above the buffer: it must cover exactly the bytes decoded, not those
    // read ahead, so that it can be compared with the checksum field that follows them.
    DataInputStream in = new DataInputStream(
        new CheckedInputStream(new BufferedInputStream(source, KvSnapshotV2.BUFFER_BYTES), crc));
    long keysRead = 0;
    try {
      long lastAppliedIndex = in.readLong();
      long compactedRevision = in.readLong();
      if (lastAppliedIndex < 0 || compactedRevision < 0 || compactedRevision > lastAppliedIndex) {
        throw new InvalidSnapshotException("bad lastAppliedIndex " + lastAppliedIndex
            + " or compactedRevision " + compactedRevision);
      }
      int sessionCount = in.readInt();
      if (sessionCount < 0) {
        throw new InvalidSnapshotException("negative session count " + sessionCount);
      }
      List<ClientSession> sessions =
          KvSnapshotCodec.readSessions(in, sessionCount, lastAppliedIndex);
      List<KvLease> leases = readLeases(in, lastAppliedIndex);
      java.util.Set<Long> leaseIds = new java.util.HashSet<>();
      leases.forEach(l -> leaseIds.add(l.id()));
      KvStore.Restored restored = new KvStore.Restored(compactedRevision);
      long valueBytes = 0;
      String previous = null;
      for (byte marker = in.readByte(); marker != END_OF_KEYS; marker = in.readByte()) {
        if (marker != KEY) {
          throw new InvalidSnapshotException(
              "unknown key marker " + marker + " after " + keysRead + " keys");
        }
        byte[] keyBytes = KvSnapshotCodec.readBytes(in, "key");
        String key = KvSnapshotCodec.decodeKey(keyBytes);
        if (previous != null && previous.compareTo(key) >= 0) {
          throw new InvalidSnapshotException(previous.equals(key)
              ? "key '" + key + "' repeated"
              : "keys out of order: '" + key + "' after '" + previous + "'");
        }
        List<KvStore.Version> versions = readVersions(in, key, lastAppliedIndex, compactedRevision);
        long lease = versions.get(0).lease();
        if (lease != 0 && !versions.get(0).isTombstone() && !leaseIds.contains(lease)) {
          throw new InvalidSnapshotException("key '" + key + "' is attached to lease " + lease + ", which the snapshot does not hold");
        }
        for (KvStore.Version version : versions) {
          valueBytes += version.isTombstone() ? 0 : version.value().length;
        }
        restored.add(key, keyBytes.length, versions);
        keysRead++;
        previous = key;
      }
      long keyCount = in.readLong();
      long versionCount = in.readLong();
      long statedValueBytes = in.readLong();
      int computed = (int) crc.getValue();
      int expected = in.readInt();
      if (computed != expected) {
        throw new InvalidSnapshotException(
            "snapshot checksum mismatch (CRC32C after " + keysRead + " keys): corrupted");
      }
      if (keyCount != keysRead || versionCount != restored.versions()) {
        throw new InvalidSnapshotException("snapshot states " + keyCount + " keys and "
            + versionCount + " versions but holds " + keysRead + " and " + restored.versions());
      }
      if (statedValueBytes != valueBytes) {
        throw new InvalidSnapshotException(
            "snapshot states " + statedValueBytes + " value bytes but holds " + valueBytes);
      }
      if (in.read() != -1) {
        throw new InvalidSnapshotException("unexpected bytes after the checksum");
      }
      return new KvSnapshotFormat.Contents(lastAppliedIndex, restored, sessions, leases);
    } catch (EOFException e) {
      throw new InvalidSnapshotException(
          "snapshot ends early (truncated) after " + keysRead + " keys", e);
    } catch (UTFDataFormatException e) {
      throw new InvalidSnapshotException("malformed text in a session result", e);
    }
  }

  /** The leases, in id order, each granted and kept alive at or before the last applied index. */
  private static List<KvLease> readLeases(DataInputStream in, long lastAppliedIndex) throws IOException {
    int count = in.readInt();
    if (count < 0) {
      throw new InvalidSnapshotException("negative lease count " + count);
    }
    List<KvLease> leases = new ArrayList<>(Math.min(count, 1024)); // not sized by a count that may be corrupted
    long previous = 0;
    for (int i = 0; i < count; i++) {
      long id = in.readLong();
      long ttlSeconds = in.readLong();
      long refreshIndex = in.readLong();
      if (id <= previous || refreshIndex < id || refreshIndex > lastAppliedIndex
          || ttlSeconds < KvCommand.LEASE_TTL_SECONDS_MIN || ttlSeconds > KvCommand.LEASE_TTL_SECONDS_MAX) {
        throw new InvalidSnapshotException("bad lease " + id + " (TTL " + ttlSeconds + " s, refreshed at " + refreshIndex
            + ") after lease " + previous);
      }
      leases.add(new KvLease(id, ttlSeconds, refreshIndex));
      previous = id;
    }
    return leases;
  }

  /**
   * A key's versions, newest first, checked: revisions falling, none above the last applied
   * index, at most one at or below the compacted revision (the last, and live), and each live
   * version consistent with the one it replaced.
   */
  private static List<KvStore.Version> readVersions(
      DataInputStream in, String key, long lastAppliedIndex, long compactedRevision)
      throws IOException {
    int count = in.readInt();
    if (count < 1 || count > VERSIONS_PER_KEY_MAX) {
      throw new InvalidSnapshotException("key '" + key + "' has " + count + " versions");
    }
    List<KvStore.Version> versions = new ArrayList<>(Math.min(count, 16));
    long newer = lastAppliedIndex + 1;
    for (int i = 0; i < count; i++) {
      long modRevision = in.readLong();
      if (modRevision >= newer || modRevision < 1) {
        throw new InvalidSnapshotException("key '" + key + "': version at revision " + modRevision
            + " out of order (before it: " + newer + ", last applied " + lastAppliedIndex + ")");
      }
      byte kind = in.readByte();
      KvStore.Version version;
      if (kind == TOMBSTONE) {
        version = new KvStore.Version(null, 0, modRevision, 0, 0, null);
      } else if (kind == LIVE) {
        long createRevision = in.readLong();
        long number = in.readLong();
        long lease = in.readLong();
        if (lease < 0 || lease > lastAppliedIndex) {
          throw new InvalidSnapshotException("key '" + key + "': lease " + lease + " out of range");
        }
        if (createRevision < 1 || createRevision > modRevision || number < 1
            || (number == 1) != (createRevision == modRevision)) {
          throw new InvalidSnapshotException("key '" + key + "': version " + number
              + " created at " + createRevision + " written at " + modRevision);
        }
        version = new KvStore.Version(
            KvSnapshotCodec.readBytes(in, "value"), createRevision, modRevision, number, lease, null);
      } else {
        throw new InvalidSnapshotException("key '" + key + "': unknown version kind " + kind);
      }
      if (modRevision <= compactedRevision && (i != count - 1 || version.isTombstone())) {
        throw new InvalidSnapshotException("key '" + key + "': version at " + modRevision
            + " is at or below the compacted revision " + compactedRevision
            + " but not the oldest live one");
      }
      if (!versions.isEmpty()) {
        KvStore.Version replacing = versions.get(versions.size() - 1);
        boolean follows = replacing.isTombstone()
            ? !version.isTombstone()
            : version.isTombstone()
                ? replacing.version() == 1
                : replacing.createRevision() == version.createRevision()
                    && replacing.version() == version.version() + 1;
        if (!follows) {
          throw new InvalidSnapshotException("key '" + key + "': the version at "
              + replacing.modRevision() + " does not follow the one at " + modRevision);
        }
      }
      versions.add(version);
      newer = modRevision;
    }
    return versions;
  }
}
