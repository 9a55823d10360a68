package io.raftkv.client;

/**
 * No node gave an answer before the client gave up (deadline, attempt budget, or a Retry-After
 * longer than the time left): every attempt failed to connect, or some node answered 503 (no
 * leader answered in time), which tells that the cluster is up but cannot serve. The CLI's exit
 * code 4, "the cluster could not be reached".
 *
 * <p>A write that reached a node (a 503 may come after the leader appended it) {@link
 * #mayHaveTakenEffect() may have taken effect}; one that never connected did not.
 */
public sealed class RaftkvUnavailableException extends RaftkvException
    permits RaftkvTimeoutException {

  private static final long serialVersionUID = 1L;

  RaftkvUnavailableException(String message, boolean mayHaveTakenEffect, Throwable cause) {
    super(message, mayHaveTakenEffect, cause);
  }
}
