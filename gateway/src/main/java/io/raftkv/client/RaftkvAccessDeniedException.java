package io.raftkv.client;

/**
 * The cluster refused the client's credentials (docs/SECURITY.md): 401, no token or one the nodes do
 * not accept ({@link #unauthenticated()}); or 403, a token whose role does not allow the call, or a
 * session write with another token than the one that opened the session. Refused before anything
 * happened, so it had no effect. CLI exit code 8.
 */
public final class RaftkvAccessDeniedException extends RaftkvRejectedException {
  private static final long serialVersionUID = 1L;

  RaftkvAccessDeniedException(int status, String error, String detail) {
    super(status, error, detail, false);
  }

  /** Whether the cluster did not know who is calling (401), rather than refusing what they asked (403). */
  public boolean unauthenticated() {
    return status() == 401;
  }
}
