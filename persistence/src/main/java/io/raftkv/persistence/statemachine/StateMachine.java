package io.raftkv.persistence.statemachine;

import java.io.IOException;
import java.io.InputStream;

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

  /**
   * Bytes of state: what a snapshot of it is about to hold (for the key-value machine, the UTF-8
   * key bytes plus the value bytes of its live keys). Any thread.
   */
  long stateBytes();

  /**
   * Pins the state as of the last applied index and returns its writer. {@link #apply} goes on
   * while the writer runs on another thread, and the writer still writes the state as of the
   * pinned index. Owner thread only.
   *
   * @throws IllegalStateException if a pin is held already (at most one at a time)
   */
  SnapshotWriter pinSnapshot();

  /**
   * Releases the pin once its writer finished or was abandoned. Owner thread only. No-op without
   * a pin.
   */
  void releaseSnapshot();

  /**
   * Replaces the whole state with one read from {@code in}: what a {@link SnapshotWriter} wrote
   * (an implementation may accept older formats of its own too). Reads to the end and verifies
   * before anything changes: a bad stream throws and leaves the state as it was. Owner thread
   * only.
   *
   * @throws java.io.IOException if reading fails, or the stream is refused (the key-value machine
   *     refuses a malformed one with its own unchecked exception, too)
   */
  void restore(InputStream in) throws IOException;
}
