package io.raftkv.raft.sim;

import io.raftkv.persistence.statemachine.StateMachineCommand;

/** The simulator's command: a unique value, with optional padding to make it big (RPCBytes). */
public record TestCommand(long value, String padding) implements StateMachineCommand {
  public TestCommand(long value) {
    this(value, "");
  }

  @Override
  public int sizeBytes() {
    return 8 + padding.length();
  }

  @Override
  public String toString() {
    return padding.isEmpty() ? "cmd" + value : "cmd" + value + "+" + padding.length() + "B";
  }
}
