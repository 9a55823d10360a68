package io.raftkv.persistence.kv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.zip.CRC32C;

/**
 * The binary snapshot of a {@link KvStateMachine}, written with {@link DataOutputStream}
 * (big-endian). Version 1:
 *
 * <pre>
 * int  formatVersion = 1
 * long lastAppliedIndex
 * int  entryCount, then per entry in key order:
 *        int keyLength, key as UTF-8; int valueLength, value bytes
 * int  sessionCount, then per session in client id order:
 *        long clientId, long lastSequence, long lastUsedIndex, result
 * int  CRC32C of every byte before it
 * result: byte tag 0 none | 1 Ok | 2 NotFound | 3 LimitExceeded: UTF limit, long actual, long max
 *         | 4 CasMismatch: byte present (0/1), then if present int length, bytes
 * </pre>
 *
 * <p>Why not Kryo, although the wire uses it: a snapshot outlives the code that wrote it (it is
 * kept on disk and shipped to lagging followers by InstallSnapshot), and Kryo's bytes depend on
 * the registration ids and on the exact fields of each record, which do not tolerate changes.
 * Here the layout is written down once, versioned by its first int so a later build can still
 * read an old version (or refuse it by name), and checked by a checksum, since a snapshot that
 * is wrong in one byte would silently fork a replica's state.
 */
final class KvSnapshotFormat {

  static final int FORMAT_VERSION = 1;

  private static final byte RESULT_NONE = 0;
  private static final byte RESULT_OK = 1;
  private static final byte RESULT_NOT_FOUND = 2;
  private static final byte RESULT_LIMIT_EXCEEDED = 3;
  private static final byte RESULT_CAS_MISMATCH = 4;

  private static final int VERSION_BYTES = Integer.BYTES;
  private static final int CHECKSUM_BYTES = Integer.BYTES;

  /** What a snapshot holds, decoded and checked. */
  record Contents(
      long lastAppliedIndex,
      ConcurrentSkipListMap<String, byte[]> entries,
      List<ClientSession> sessions) {}

  private KvSnapshotFormat() {}

  static byte[] write(
      long lastAppliedIndex, NavigableMap<String, byte[]> entries, List<ClientSession> sessions) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(FORMAT_VERSION);
      out.writeLong(lastAppliedIndex);
      // The map may be read concurrently but is written only on this thread: the count and the
      // iteration below see the same entries.
      out.writeInt(entries.size());
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        writeBytes(out, entry.getKey().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, entry.getValue());
      }
      out.writeInt(sessions.size());
      for (ClientSession session : sessions) {
        out.writeLong(session.clientId());
        out.writeLong(session.lastSequence());
        out.writeLong(session.lastUsedIndex());
        writeResult(out, session.lastResult());
      }
      out.flush();
      CRC32C crc = new CRC32C();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("a ByteArrayOutputStream does not fail", e);
    }
  }

  static Contents read(byte[] snapshot) {
    if (snapshot == null || snapshot.length < VERSION_BYTES + CHECKSUM_BYTES) {
      throw new InvalidSnapshotException(
          "snapshot too short to hold a format version and a checksum: "
              + (snapshot == null ? "null" : snapshot.length + " bytes"));
    }
    // The version comes first: a later format may change everything after it, checksum included.
    int version = ByteBuffer.wrap(snapshot).getInt(0);
    if (version != FORMAT_VERSION) {
      throw new InvalidSnapshotException(
          "unsupported snapshot format version " + version + "; this build reads version "
              + FORMAT_VERSION);
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
      Contents contents = readBody(in);
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

  private static Contents readBody(DataInputStream in) throws IOException {
    long lastAppliedIndex = in.readLong();
    if (lastAppliedIndex < 0) {
      throw new InvalidSnapshotException("negative lastAppliedIndex " + lastAppliedIndex);
    }
    int entryCount = readCount(in, "entry");
    ConcurrentSkipListMap<String, byte[]> entries = new ConcurrentSkipListMap<>();
    String previous = null;
    for (int i = 0; i < entryCount; i++) {
      String key = decodeKey(readBytes(in, "key"));
      if (previous != null && previous.compareTo(key) >= 0) {
        throw new InvalidSnapshotException(
            "keys out of order: '" + key + "' after '" + previous + "'");
      }
      entries.put(key, readBytes(in, "value"));
      previous = key;
    }
    int sessionCount = readCount(in, "session");
    List<ClientSession> sessions = new ArrayList<>(sessionCount);
    Set<Long> clientIds = new HashSet<>();
    for (int i = 0; i < sessionCount; i++) {
      long clientId = in.readLong();
      long lastSequence = in.readLong();
      long lastUsedIndex = in.readLong();
      KvResult lastResult = readResult(in);
      ClientSession session;
      try {
        session = new ClientSession(clientId, lastSequence, lastResult, lastUsedIndex);
      } catch (InvalidSnapshotException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new InvalidSnapshotException("invalid session: " + e.getMessage(), e);
      }
      if (session.lastUsedIndex() > lastAppliedIndex) {
        throw new InvalidSnapshotException(
            "session " + session.clientId() + " used at " + session.lastUsedIndex()
                + ", after the snapshot's lastAppliedIndex " + lastAppliedIndex);
      }
      if (!clientIds.add(session.clientId())) {
        throw new InvalidSnapshotException("session " + session.clientId() + " appears twice");
      }
      sessions.add(session);
    }
    return new Contents(lastAppliedIndex, entries, sessions);
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
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

  /** Strict UTF-8, and the same checks as a command's key, so a restored key is a valid key. */
  private static String decodeKey(byte[] utf8) {
    try {
      String key =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
      return Keys.requireKey(key);
    } catch (CharacterCodingException | IllegalArgumentException e) {
      throw new InvalidSnapshotException("invalid key: " + e.getMessage(), e);
    }
  }

  /** Only the answers a write can get are ever kept in a session, so only those are encoded. */
  private static void writeResult(DataOutputStream out, KvResult result) throws IOException {
    if (result == null) {
      out.writeByte(RESULT_NONE);
    } else if (result instanceof KvResult.Ok) {
      out.writeByte(RESULT_OK);
    } else if (result instanceof KvResult.NotFound) {
      out.writeByte(RESULT_NOT_FOUND);
    } else if (result instanceof KvResult.LimitExceeded l) {
      out.writeByte(RESULT_LIMIT_EXCEEDED);
      out.writeUTF(l.limit());
      out.writeLong(l.actual());
      out.writeLong(l.max());
    } else if (result instanceof KvResult.CasMismatch c) {
      out.writeByte(RESULT_CAS_MISMATCH);
      byte[] current = c.current();
      out.writeBoolean(current != null);
      if (current != null) {
        writeBytes(out, current);
      }
    } else {
      throw new IllegalStateException("a session never keeps the result " + result);
    }
  }

  private static KvResult readResult(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case RESULT_NONE:
        return null;
      case RESULT_OK:
        return KvResult.OK;
      case RESULT_NOT_FOUND:
        return KvResult.NOT_FOUND;
      case RESULT_LIMIT_EXCEEDED:
        return new KvResult.LimitExceeded(in.readUTF(), in.readLong(), in.readLong());
      case RESULT_CAS_MISMATCH:
        return new KvResult.CasMismatch(in.readBoolean() ? readBytes(in, "cas value") : null);
      default:
        throw new InvalidSnapshotException("unknown session result tag " + tag);
    }
  }
}
