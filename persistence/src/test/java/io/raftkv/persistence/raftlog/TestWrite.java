package io.raftkv.persistence.raftlog;

import io.raftkv.persistence.statemachine.StateMachineCommand;

/**
 * A state machine command for the Raft log's tests (the persistence module has no state machine
 * of its own). Registered under Kryo id {@value RaftLogTestConfig#TEST_WRITE_ID}, which the
 * format-version-1 fixture in {@code src/test/resources/raftlog-v1} depends on: never change this
 * record's shape or its id.
 */
public record TestWrite(String key, long value) implements StateMachineCommand {}
