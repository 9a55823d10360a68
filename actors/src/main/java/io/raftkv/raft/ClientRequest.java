package io.raftkv.raft;

import io.raftkv.persistence.statemachine.StateMachineCommand;
import java.util.Objects;

/**
 * One request of a client in this process, handed to the node through its {@link ClientInbox}:
 * what {@link RaftNode.Propose}, {@link RaftNode.Read} and {@link RaftNode.ReadLocal} are as
 * messages, without an actor to answer to.
 */
public record ClientRequest(Kind kind, StateMachineCommand command, Replier replyTo) {
  public enum Kind {
    /** Appended to the log and answered once applied ({@link RaftNode.Propose}). */
    WRITE,
    /** A linearizable read, ReadIndex at the leader ({@link RaftNode.Read}). */
    READ,
    /** A serializable read from this node's state machine ({@link RaftNode.ReadLocal}). */
    READ_LOCAL
  }

  public ClientRequest {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(replyTo, "replyTo");
  }
}
