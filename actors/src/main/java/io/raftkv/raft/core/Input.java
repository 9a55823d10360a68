package io.raftkv.raft.core;

import io.raftkv.persistence.snapshot.SnapshotRef;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.raft.ClientRequest;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.Replier;
import java.util.List;

/**
 * Everything that can happen to a node, as {@link RaftCore#step} takes it: a message from a peer,
 * a tick of Raft time, a client's request, and the outcomes of the I/O the shell carried out for
 * an earlier {@link Ready} (a batch made durable, a snapshot written or received).
 */
public sealed interface Input {
  /**
   * A message from a peer, with the sender's identity as its {@link RaftMessage.Identified} said:
   * its cluster id and incarnation, each 0 when unknown; or, when {@code own}, one this node sent
   * itself (its own vote), which only the shell can say: a peer's message claiming this node's id
   * is refused.
   */
  record Message(RaftMessage message, long senderClusterId, long senderIncarnation, boolean own) implements Input {
    public Message {
      if (message instanceof RaftMessage.Identified) throw new IllegalArgumentException("unwrap an identified message first");
    }

    /** A peer's message with its sender's identity. */
    public Message(RaftMessage message, long senderClusterId, long senderIncarnation) {
      this(message, senderClusterId, senderIncarnation, false);
    }

    /** A peer's message whose sender's identity is not known (it sent it bare). */
    public Message(RaftMessage message) {
      this(message, 0, 0, false);
    }

    /** A message this node sent itself ({@link Ready.Outgoing} to its own id). */
    public static Message own(RaftMessage message) {
      return new Message(message, 0, 0, true);
    }
  }

  /** One unit of Raft time. */
  enum Tick implements Input { INSTANCE }

  /** A client's write: appended and answered once applied, by a leader only. */
  record Propose(StateMachineCommand command, Replier replyTo) implements Input {}

  /** A linearizable read (dissertation §6.4, ReadIndex): answered by a leader only. */
  record Read(StateMachineCommand query, Replier replyTo) implements Input {}

  /** A batch of requests from clients in this process, handled in order as one step (one log batch for all). */
  record Requests(List<ClientRequest> requests) implements Input {}

  /** A leader sends what was proposed since its last send (it asked for this with {@link Ready#replicateSoon()}). */
  enum Replicate implements Input { INSTANCE }

  /** A change of the cluster's members (dissertation §4.1: one server at a time); a leader answers once it is committed. */
  record ChangeConfiguration(ConfigurationChange change, Replier replyTo) implements Input {}

  /** Hand leadership to {@code targetId} once it is up to date (dissertation §3.10). */
  record TransferLeadership(int targetId) implements Input {}

  /** The durable log stored batch {@code batch} (given in {@link Ready#persist()}) and every batch before it. */
  record Persisted(long batch) implements Input {}

  /** The node's own snapshot was written to {@code file}, newer than the log's snapshot: compact the log through it. */
  record SnapshotTaken(SnapshotRef file) implements Input {}

  /**
   * A chunk of a leader's snapshot ({@link Ready#receiveChunk()}) was stored; the node needs the
   * bytes from {@code nextOffset} on (0 after a failure: the leader starts over).
   */
  record SnapshotChunkStored(RaftMessage.InstallSnapshot chunk, long nextOffset) implements Input {}

  /**
   * The last chunk completed a leader's snapshot, verified as {@code file}, and the state machine
   * was restored from it: the log now starts after it.
   */
  record SnapshotInstalled(RaftMessage.InstallSnapshot chunk, SnapshotRef file) implements Input {}
}
