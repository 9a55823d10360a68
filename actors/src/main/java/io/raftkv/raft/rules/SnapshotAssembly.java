package io.raftkv.raft.rules;

import java.io.ByteArrayOutputStream;

/**
 * A follower's partly received snapshot. Chunks must arrive in order; anything else is answered
 * with the offset it needs, so a lost, duplicated or reordered chunk, or a restart that lost the
 * buffer, makes the leader resend from there.
 */
public final class SnapshotAssembly {
  private final long bytesMax;
  private long index; // the snapshot being assembled (0: none)
  private long term;
  private ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  /** @param bytesMax the largest snapshot accepted, in bytes */
  public SnapshotAssembly(long bytesMax) {
    this.bytesMax = bytesMax;
  }

  /** A chunk in the order expected, or the start of a new snapshot. Returns the next offset expected. */
  public long offer(long snapshotIndex, long snapshotTerm, long offset, byte[] chunk) {
    if (offset == 0 && (snapshotIndex != index || snapshotTerm != term || buffer.size() > 0)) {
      index = snapshotIndex;
      term = snapshotTerm;
      buffer = new ByteArrayOutputStream();
    }
    if (snapshotIndex != index || snapshotTerm != term) return 0;
    if (offset != buffer.size()) return buffer.size();
    if (buffer.size() + (long) chunk.length > bytesMax) {
      throw new IllegalStateException("snapshot " + snapshotIndex + " exceeds snapshot-bytes-max " + bytesMax);
    }
    buffer.writeBytes(chunk);
    return buffer.size();
  }

  /** The whole snapshot, once the last chunk is in; resets the assembly. */
  public byte[] complete() {
    byte[] data = buffer.toByteArray();
    index = 0;
    term = 0;
    buffer = new ByteArrayOutputStream();
    return data;
  }
}
