package io.raftkv.raft.core;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.RaftLogEvent;
import io.raftkv.persistence.snapshot.SnapshotRef;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.Replier;
import java.util.List;

/**
 * What one {@link RaftCore#step} decided: what to persist, send, apply and answer. The shell
 * carries it out in this order, which is the contract the core relies on:
 *
 * <ol>
 *   <li>{@link #persist}: hand the batch to the durable log now. The log stores batches in order,
 *       and answers each with {@link Input.Persisted}.
 *   <li>{@link #snapshotAdopted}: the log now starts at this file; keep it, and the older ones
 *       until its batch is durable.
 *   <li>{@link #messages} and {@link #snapshotChunks}: send. Whatever promises durable state (a
 *       vote, an acknowledgement of entries) is only here once the batch that made it true was
 *       persisted; the core holds it back until then. What is here may go before this Ready's own
 *       batch is durable: a leader's AppendEntries overlaps its own write (dissertation §10.2.1).
 *   <li>{@link #receiveChunk}: store the chunk of a leader's snapshot, then step
 *       {@link Input.SnapshotChunkStored}, or {@link Input.SnapshotInstalled} once the file is
 *       complete and the state machine restored from it.
 *   <li>{@link #committed}: apply in log order, and answer each entry's proposer with
 *       {@link RaftNode.Applied}.
 *   <li>{@link #reads}: answer from the state machine, after applying (so a read sees at least
 *       its read index).
 *   <li>{@link #answers}: deliver.
 *   <li>{@link #replicateSoon}: step {@link Input.Replicate} after what is already queued, so that
 *       the proposals queued meanwhile go out together.
 * </ol>
 */
public record Ready(Persist persist, List<Outgoing> messages, List<SnapshotChunk> snapshotChunks, RaftMessage.InstallSnapshot receiveChunk,
    List<Apply> committed, List<ServeRead> reads, List<Answer> answers, SnapshotAdopted snapshotAdopted, boolean replicateSoon) {

  /** Log batch {@code batch} (numbered 1, 2, ... in this incarnation): these events, stored atomically. */
  public record Persist(long batch, List<RaftLogEvent> events) {}

  /** A message to node {@code to} (this node's own id: deliver it to itself). */
  public record Outgoing(int to, RaftMessage message) {}

  /**
   * The chunk of snapshot {@code file} at {@code offset}, {@code length} bytes: read it and send it
   * to {@code to} as an {@link RaftMessage.InstallSnapshot} of {@code term} from {@code leaderId}.
   */
  public record SnapshotChunk(int to, long term, int leaderId, SnapshotRef file, Configuration configuration, long offset, int length,
      long round) {
    public RaftMessage.InstallSnapshot message(byte[] data) {
      if (data.length != length) throw new IllegalArgumentException("chunk of " + data.length + " bytes, expected " + length);
      return new RaftMessage.InstallSnapshot(term, leaderId, file.index(), file.term(), offset, data, offset + length == file.sizeBytes(),
          file.sizeBytes(), file.crc32c(), configuration, round);
    }
  }

  /** A committed entry to apply; {@code proposer} (or null) waits for its result. */
  public record Apply(LogEntry entry, Replier proposer) {}

  /** A read to answer from the state machine once {@link #committed} is applied. */
  public record ServeRead(StateMachineCommand query, Replier replyTo) {}

  /** A client's answer, decided without the state machine. */
  public record Answer(Replier replyTo, RaftNode.ClientReply reply) {}

  /** The log's snapshot is now {@code file}, recorded in batch {@code batch}; {@code installed}: a leader's. */
  public record SnapshotAdopted(SnapshotRef file, long batch, boolean installed) {}

  static final Ready NOTHING = new Ready(null, List.of(), List.of(), null, List.of(), List.of(), List.of(), null, false);

  public boolean isEmpty() {
    return equals(NOTHING);
  }
}
