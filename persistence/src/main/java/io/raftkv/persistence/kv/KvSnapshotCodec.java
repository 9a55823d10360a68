package io.raftkv.persistence.kv;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What both versions of {@link KvSnapshotFormat} encode alike: keys, byte arrays, sessions. */
final class KvSnapshotCodec {

  private static final byte RESULT_NONE = 0;
  private static final byte RESULT_OK = 1;
  private static final byte RESULT_NOT_FOUND = 2;
  private static final byte RESULT_LIMIT_EXCEEDED = 3;
  private static final byte RESULT_CAS_MISMATCH = 4;
  private static final byte RESULT_QUOTA_EXCEEDED = 5;
  private static final byte RESULT_TXN = 6;
  private static final byte RESULT_VALUE = 7;
  private static final byte RESULT_LEASE_GRANTED = 8;
  private static final byte RESULT_LEASE_NOT_FOUND = 9;

  /**
   * Arrays up to this size are allocated at their stated length; longer ones grow as their bytes
   * arrive, so a corrupted length costs no more memory than the stream really holds.
   */
  private static final int TRUSTED_LENGTH_BYTES_MAX = 1 << 20;

  private KvSnapshotCodec() {}

  static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** A length-prefixed array; a short stream ends in EOFException. */
  static byte[] readBytes(DataInputStream in, String what) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new InvalidSnapshotException(what + " length " + length + " is negative");
    }
    if (length <= TRUSTED_LENGTH_BYTES_MAX) {
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return bytes;
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new java.io.EOFException(what + " of " + length + " bytes ends after " + bytes.length);
    }
    return bytes;
  }

  /** Strict UTF-8, and the same checks as a command's key, so a restored key is a valid key. */
  static String decodeKey(byte[] utf8) {
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

  static void writeSession(DataOutputStream out, ClientSession session) throws IOException {
    out.writeLong(session.clientId());
    out.writeLong(session.lastSequence());
    out.writeLong(session.lastUsedIndex());
    writeResult(out, session.lastResult());
  }

  /** Reads {@code count} sessions, checked alone and against each other and the snapshot index. */
  static List<ClientSession> readSessions(DataInputStream in, int count, long lastAppliedIndex)
      throws IOException {
    // Not sized by the count read: a corrupted one must not allocate.
    List<ClientSession> sessions = new ArrayList<>();
    Set<Long> clientIds = new HashSet<>();
    for (int i = 0; i < count; i++) {
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
    return sessions;
  }

  /**
   * Whether a session may keep {@code result} as its last one: only the answers a write can get
   * (KvStateMachine keeps what {@code write} returned), so only those have a tag.
   */
  static boolean encodable(KvResult result) {
    return result == null
        || result instanceof KvResult.Ok
        || result instanceof KvResult.NotFound
        || result instanceof KvResult.LimitExceeded
        || result instanceof KvResult.CasMismatch
        || result instanceof KvResult.QuotaExceeded
        || result instanceof KvResult.LeaseGranted
        || result instanceof KvResult.LeaseNotFound
        || result instanceof KvResult.TxnResult t && t.results().stream().allMatch(KvSnapshotCodec::encodableInTxn);
  }

  private static boolean encodableInTxn(KvResult result) {
    return result instanceof KvResult.Ok
        || result instanceof KvResult.NotFound
        || result instanceof KvResult.Value;
  }

  static void writeResult(DataOutputStream out, KvResult result) throws IOException {
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
    } else if (result instanceof KvResult.QuotaExceeded q) {
      out.writeByte(RESULT_QUOTA_EXCEEDED);
      out.writeLong(q.stateBytes());
      out.writeLong(q.quotaBytes());
    } else if (result instanceof KvResult.LeaseGranted g) {
      out.writeByte(RESULT_LEASE_GRANTED);
      out.writeLong(g.id());
      out.writeLong(g.ttlSeconds());
    } else if (result instanceof KvResult.LeaseNotFound n) {
      out.writeByte(RESULT_LEASE_NOT_FOUND);
      out.writeLong(n.id());
    } else if (result instanceof KvResult.TxnResult t) {
      out.writeByte(RESULT_TXN);
      out.writeBoolean(t.succeeded());
      out.writeInt(t.results().size());
      for (KvResult inner : t.results()) {
        writeTxnResult(out, inner);
      }
    } else {
      throw new IllegalStateException("a session never keeps the result " + result);
    }
  }

  /** An answer of a transaction's operation: Ok, NotFound or Value. */
  private static void writeTxnResult(DataOutputStream out, KvResult result) throws IOException {
    if (result instanceof KvResult.Value v) {
      out.writeByte(RESULT_VALUE);
      out.writeLong(v.revisions().createRevision());
      out.writeLong(v.revisions().modRevision());
      out.writeLong(v.revisions().version());
      writeBytes(out, v.value());
    } else if (result instanceof KvResult.Ok || result instanceof KvResult.NotFound) {
      writeResult(out, result);
    } else {
      throw new IllegalStateException("a transaction never answers an operation with " + result);
    }
  }

  private static KvResult readTxnResult(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case RESULT_OK:
        return KvResult.OK;
      case RESULT_NOT_FOUND:
        return KvResult.NOT_FOUND;
      case RESULT_VALUE:
        try {
          KeyRevisions revisions = new KeyRevisions(in.readLong(), in.readLong(), in.readLong());
          return new KvResult.Value(readBytes(in, "value read by a transaction"), revisions);
        } catch (IllegalArgumentException e) {
          throw new InvalidSnapshotException("a transaction's value read: " + e.getMessage(), e);
        }
      default:
        throw new InvalidSnapshotException("unknown transaction answer tag " + tag);
    }
  }

  static KvResult readResult(DataInputStream in) throws IOException {
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
      case RESULT_QUOTA_EXCEEDED:
        return new KvResult.QuotaExceeded(in.readLong(), in.readLong());
      case RESULT_LEASE_GRANTED:
        return new KvResult.LeaseGranted(in.readLong(), in.readLong());
      case RESULT_LEASE_NOT_FOUND:
        return new KvResult.LeaseNotFound(in.readLong());
      case RESULT_TXN:
        boolean succeeded = in.readBoolean();
        int count = in.readInt();
        if (count < 0 || count > KvLimits.TXN_OPS_PER_LIST_MAX) {
          throw new InvalidSnapshotException("a transaction answer with " + count + " operations");
        }
        List<KvResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          results.add(readTxnResult(in));
        }
        return new KvResult.TxnResult(succeeded, results);
      default:
        throw new InvalidSnapshotException("unknown session result tag " + tag);
    }
  }
}
