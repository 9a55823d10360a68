package io.raftkv.raft.sim;

import io.raftkv.persistence.statemachine.StateMachineResult;

/** What the simulator's state machine answers: how many commands it had applied, and their checksum. */
public record TestResult(long appliedCount, long checksum) implements StateMachineResult {}
