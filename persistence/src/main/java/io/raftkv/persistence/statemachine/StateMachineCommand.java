package io.raftkv.persistence.statemachine;

import io.raftkv.persistence.serialization.RaftkvSerializable;

/** A command carried by a Raft log entry and applied, once committed, by a {@link StateMachine}. */
public interface StateMachineCommand extends RaftkvSerializable {}
