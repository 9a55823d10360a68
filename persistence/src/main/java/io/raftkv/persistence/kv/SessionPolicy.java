package io.raftkv.persistence.kv;

/**
 * When client sessions are dropped (the rule is in {@link KvStateMachine}). It decides what
 * {@code apply} answers, so every node of a cluster must use the same policy.
 *
 * @param sessionExpiryEntries a session not used for more than this many log indexes expires
 * @param sessionsMax the most sessions kept; registering one more evicts the least recently used
 */
public record SessionPolicy(long sessionExpiryEntries, int sessionsMax) {

  public SessionPolicy {
    if (sessionExpiryEntries < 1) {
      throw new IllegalArgumentException(
          "sessionExpiryEntries must be >= 1 log entries, got " + sessionExpiryEntries);
    }
    if (sessionsMax < 1) {
      throw new IllegalArgumentException("sessionsMax must be >= 1 sessions, got " + sessionsMax);
    }
  }
}
