package io.raftkv.persistence.statemachine;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the state a {@link StateMachine} pinned ({@link StateMachine#pinSnapshot}), on a thread
 * of the caller's choosing, while the machine goes on applying.
 */
public interface SnapshotWriter {

  /** The applied index this snapshot captures. */
  long index();

  /**
   * Writes the pinned state to {@code out}. Called once, from any one thread. Does not close
   * {@code out}.
   */
  void writeTo(OutputStream out) throws IOException;
}
