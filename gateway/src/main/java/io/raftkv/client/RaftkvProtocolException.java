package io.raftkv.client;

/**
 * A node answered, but not as the HTTP contract says: a body over the client's size bound, JSON
 * that does not parse or lacks a field. Not retried: the same node would answer the same way.
 */
public final class RaftkvProtocolException extends RaftkvException {

  private static final long serialVersionUID = 1L;

  RaftkvProtocolException(String message, boolean mayHaveTakenEffect, Throwable cause) {
    super(message, mayHaveTakenEffect, cause);
  }
}
