package io.raftkv.client;

/** What one node's {@code GET /health} said. */
public enum Health {
  /** 200: the node is up and knows a leader. */
  HEALTHY,
  /** It answered, but not 200 (503: it knows no leader). */
  NO_LEADER,
  /** It did not answer in time, or refused the connection. */
  UNREACHABLE
}
