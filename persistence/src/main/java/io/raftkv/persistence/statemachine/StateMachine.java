package io.raftkv.persistence.statemachine;

/**
 * The replicated state machine behind the Raft log.
 *
 * <p>Contract: {@link #apply} is deterministic. Every replica applies the same committed commands
 * in the same index order and must reach the same state and the same results; so no clock, no
 * randomness and no I/O inside. Indexes passed to {@code apply} are strictly increasing, and are
 * greater than the index of the last snapshot restored. A state machine is owned by one Raft node
 * and called from its actor only.
 */
public interface StateMachine {

  /** Applies the command committed at {@code index} and returns its result for the proposer. */
  StateMachineResult apply(long index, StateMachineCommand command);

  /**
   * Answers a read-only {@code query} from the current state, changing nothing: what a
   * linearizable read (once the node has applied up to the read index) and a serializable read
   * return.
   *
   * @throws IllegalArgumentException if {@code query} is not a read this machine knows
   */
  StateMachineResult query(StateMachineCommand query);

  /** The whole state (including any client sessions) as bytes, for a Raft snapshot. */
  byte[] snapshot();

  /** Replaces the whole state with one produced by {@link #snapshot()}. */
  void restore(byte[] snapshot);
}
