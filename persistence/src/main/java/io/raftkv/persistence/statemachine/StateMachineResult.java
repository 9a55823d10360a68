package io.raftkv.persistence.statemachine;

import io.raftkv.persistence.serialization.RaftkvSerializable;

/** What applying one command produced; it travels back to the proposer, possibly over the wire. */
public interface StateMachineResult extends RaftkvSerializable {}
