package io.raftkv.persistence.raftlog;

import io.raftkv.persistence.statemachine.StateMachineCommand;

/**
 * The entry a leader appends when its term starts (Raft dissertation §6.4): committing it commits
 * every earlier entry, which a leader may not count by replicas alone (paper §5.4.2). The state
 * machine never sees it.
 */
public record Noop() implements StateMachineCommand {
  public static final Noop INSTANCE = new Noop();
}
