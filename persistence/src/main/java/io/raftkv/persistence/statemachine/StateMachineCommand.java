package io.raftkv.persistence.statemachine;

import io.raftkv.persistence.serialization.RaftkvSerializable;

/** A command carried by a Raft log entry and applied, once committed, by a {@link StateMachine}. */
public interface StateMachineCommand extends RaftkvSerializable {

  /**
   * About how many bytes this command takes on the wire: what bounds the bytes of one
   * AppendEntries. An estimate is enough; commands with large payloads should override it.
   */
  default int sizeBytes() {
    return 16;
  }
}
