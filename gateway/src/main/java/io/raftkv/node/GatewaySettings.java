package io.raftkv.node;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a node's HTTP gateway talks to the Raft group ({@code raftkv.http} in reference.conf, where
 * each setting is explained). Validated here, at start.
 *
 * @param requestTimeout how long a request may take in all, retries included, before it gets 503
 * @param attemptTimeout how long one try waits for the Raft group before the gateway tries again
 * @param inboxRequestsMax requests waiting for this node's Raft actor at most; beyond it, 503
 * @param inboxBytesMax bytes of those requests' commands at most; beyond it, 503
 * @param inboxBatchRequestsMax requests the Raft actor takes from the inbox per batch at most
 * @param sessionsMax the gateway's own client sessions at most (one per write in flight)
 */
public record GatewaySettings(Duration requestTimeout, Duration attemptTimeout, int inboxRequestsMax, long inboxBytesMax,
    int inboxBatchRequestsMax, int sessionsMax) {

  public GatewaySettings {
    positive("raftkv.http.request-timeout", requestTimeout);
    positive("raftkv.http.attempt-timeout", attemptTimeout);
    if (attemptTimeout.compareTo(requestTimeout) > 0) {
      throw new IllegalArgumentException("raftkv.http.attempt-timeout (" + attemptTimeout.toMillis()
          + " ms) must not exceed raftkv.http.request-timeout (" + requestTimeout.toMillis() + " ms)");
    }
    atLeastOne("inbox-requests-max", inboxRequestsMax);
    if (inboxBytesMax < 1) throw new IllegalArgumentException("raftkv.http.inbox-bytes-max: must be >= 1, was " + inboxBytesMax);
    atLeastOne("inbox-batch-requests-max", inboxBatchRequestsMax);
    atLeastOne("sessions-max", sessionsMax);
  }

  /** Reads {@code raftkv.http}. */
  public static GatewaySettings fromConfig(Config http) {
    return new GatewaySettings(http.getDuration("request-timeout"), http.getDuration("attempt-timeout"), http.getInt("inbox-requests-max"),
        http.getBytes("inbox-bytes-max"), http.getInt("inbox-batch-requests-max"), http.getInt("sessions-max"));
  }

  /** Refuses a duration that is not positive, naming its setting {@code key}. */
  public static Duration positive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(key + ": must be positive, was " + d);
    return d;
  }

  private static void atLeastOne(String name, int n) {
    if (n < 1) throw new IllegalArgumentException("raftkv.http." + name + ": must be >= 1, was " + n);
  }
}
