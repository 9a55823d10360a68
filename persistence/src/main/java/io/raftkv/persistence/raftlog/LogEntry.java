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
  /**
   * What Kryo writes for an entry beside its command, at most: the entry's class id and two numbers
   * in variable length (10 bytes each), and the command's class id.
   */
  public static final int HEADER_BYTES_MAX = 3 + 2 * 10 + 3;

  public LogEntry {
    if (index < 1) throw new IllegalArgumentException("index must be >= 1, was " + index);
    if (term < 1) throw new IllegalArgumentException("term must be >= 1, was " + term);
    Objects.requireNonNull(command, "command");
  }

  /**
   * At least as many bytes as this entry takes serialized ({@link StateMachineCommand#sizeBytes()}
   * plus {@link #HEADER_BYTES_MAX}): what an AppendEntries is sliced by.
   */
  public long sizeBytes() {
    return HEADER_BYTES_MAX + (long) command.sizeBytes();
  }
}
