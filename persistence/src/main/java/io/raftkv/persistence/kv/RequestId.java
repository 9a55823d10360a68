package io.raftkv.persistence.kv;

/**
 * The session envelope of a write: which client session sent it and that client's sequence
 * number for it, so that a retried write is applied once (see {@link KvStateMachine}).
 *
 * <p>{@code clientId} is the log index at which the client's {@link KvCommand.RegisterSession}
 * was applied (the answer {@link KvResult.SessionRegistered} carries it); log indexes start at 1.
 * {@code sequence} starts at 1 and grows with each new write of that client.
 *
 * <p>{@link #UNTRACKED} (0, 0) marks a write sent without a session (the HTTP headers
 * {@code Raftkv-Client-Id} / {@code Raftkv-Request-Seq} are optional): it is applied every time
 * it is committed, so a retried one may be applied twice. No log index is 0, so it cannot clash
 * with a real session.
 */
public record RequestId(long clientId, long sequence) {

  /** A write outside any session: not deduplicated. */
  public static final RequestId UNTRACKED = new RequestId(0, 0);

  public RequestId {
    if (clientId == 0 && sequence != 0) {
      throw new IllegalArgumentException(
          "an untracked write (clientId 0) has sequence 0, got " + sequence);
    }
    if (clientId < 0) {
      throw new IllegalArgumentException("clientId must be a log index >= 1, got " + clientId);
    }
    if (clientId > 0 && sequence < 1) {
      throw new IllegalArgumentException("sequence must be >= 1, got " + sequence);
    }
  }

  /** The request {@code sequence} of the session {@code clientId}. */
  public static RequestId of(long clientId, long sequence) {
    return new RequestId(clientId, sequence);
  }

  /** Whether this write is deduplicated by a client session. */
  public boolean tracked() {
    return clientId != 0;
  }
}
