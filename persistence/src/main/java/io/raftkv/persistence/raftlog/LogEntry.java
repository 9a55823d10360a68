package io.raftkv.persistence.raftlog;

import io.raftkv.persistence.serialization.RaftkvSerializable;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import java.util.Objects;

/**
 * One Raft log entry: the command a leader accepted at {@code index} in {@code term}.
 *
 * @param index position in the log, 1-based, contiguous
 * @param term the leader's term when it accepted the entry (>= 1)
 * @param command what the state machine applies once the entry is committed; {@link Noop} for the
 *     entry a new leader appends at the start of its term
 */
public record LogEntry(long index, long term, StateMachineCommand command) implements RaftkvSerializable {
  public LogEntry {
    if (index < 1) throw new IllegalArgumentException("index must be >= 1, was " + index);
    if (term < 1) throw new IllegalArgumentException("term must be >= 1, was " + term);
    Objects.requireNonNull(command, "command");
  }
}
