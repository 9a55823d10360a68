package io.raftkv.client;

/**
 * The call's deadline ran out while a request had been sent and not answered (no response in
 * time, or the connection dropped after sending), and no node answered 503: the nodes accept
 * requests but did not answer, so the outcome is unknown, and a write {@link
 * #mayHaveTakenEffect() may have taken effect}. The CLI's exit code 3.
 *
 * <p>A subclass of {@link RaftkvUnavailableException}: both mean "no answer", and a caller that
 * does not care why can catch that one.
 */
public final class RaftkvTimeoutException extends RaftkvUnavailableException {

  private static final long serialVersionUID = 1L;

  RaftkvTimeoutException(String message, boolean mayHaveTakenEffect, Throwable cause) {
    super(message, mayHaveTakenEffect, cause);
  }
}
