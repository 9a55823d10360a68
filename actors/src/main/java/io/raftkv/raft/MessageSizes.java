package io.raftkv.raft;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;

/**
 * Upper bounds on the serialized size of the node's messages that carry a payload, from the bounds
 * of their payloads: what the transport between nodes must carry. Every other message is a few
 * numbers and at most one actor reference, far below these.
 *
 * <p>A payload's bound is the state machine's: its largest command ({@code sizeBytes()} of any
 * command it accepts) and its largest answer.
 */
public final class MessageSizes {

  /**
   * A message's own fields beside its payload, at most: its class id, up to eight numbers of 10
   * bytes in variable length (InstallSnapshot has seven), flags, and the header of its list or array.
   */
  static final int FIELDS_MAX = 3 + 8 * 10 + 1 + 8;

  /**
   * What goes around a Raft message: the {@link RaftMessage.Identified} (its class id and two
   * numbers) and the {@link RaftMessage.Vouched} (its class id and its proof with the proof's length).
   */
  static final int IDENTITY_BYTES = 3 + 2 * 10 + 3 + 5 + RaftMessage.Vouched.PROOF_BYTES_MAX;

  /**
   * An actor reference as written on the wire: its path with protocol, system name, host (a DNS
   * name has at most 253 characters), port, the actor's path (an ask's temporary actor: a few dozen
   * characters) and uid. A few hundred bytes; this bound leaves room.
   */
  static final int ACTOR_REF_MAX = 1024;

  private MessageSizes() {}

  /** A {@link RaftNode.Propose} (or a {@link RaftNode.Read}) another node forwards: a command and whom to answer. */
  public static long proposeBytesMax(long commandBytesMax) {
    return FIELDS_MAX + commandBytesMax + ACTOR_REF_MAX;
  }

  /**
   * A {@link RaftMessage.AppendEntries}: entries of at most {@code appendBytesMax} as {@link
   * LogEntry#sizeBytes()} counts them, or a single entry larger than that, which is sent alone
   * ({@link io.raftkv.raft.rules.MemoryLog#slice}).
   */
  public static long appendEntriesBytesMax(long appendBytesMax, long commandBytesMax) {
    return IDENTITY_BYTES + FIELDS_MAX + Math.max(appendBytesMax, LogEntry.HEADER_BYTES_MAX + commandBytesMax);
  }

  /** A {@link RaftMessage.InstallSnapshot}: one chunk of at most {@code snapshotChunkBytes}, and the snapshot's configuration. */
  public static long installSnapshotBytesMax(long snapshotChunkBytes) {
    return IDENTITY_BYTES + FIELDS_MAX + snapshotChunkBytes + Configuration.BYTES_MAX;
  }

  /** An {@link RaftNode.Applied} or {@link RaftNode.ReadDone} to a forwarding node: an answer of at most {@code resultBytesMax}. */
  public static long replyBytesMax(long resultBytesMax) {
    return FIELDS_MAX + resultBytesMax;
  }
}
