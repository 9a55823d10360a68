package io.raftkv.persistence.statemachine;

import io.raftkv.persistence.serialization.RaftkvSerializable;

/** A command carried by a Raft log entry and applied, once committed, by a {@link StateMachine}. */
public interface StateMachineCommand extends RaftkvSerializable {

  /**
   * At least as many bytes as this command takes serialized: what bounds the bytes of one
   * AppendEntries, so an AppendEntries fits the transport's frame. The default suits a command
   * of a few numbers; commands with strings or payloads override it with their worst case.
   */
  default int sizeBytes() {
    return 16;
  }
}
