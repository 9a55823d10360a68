package io.raftkv.client;

import java.time.Duration;

/**
 * The bounds of a {@link RaftkvClient}; {@link RaftkvClient.Builder} documents each and checks them.
 */
record ClientSettings(
    Duration timeout,
    Duration connectTimeout,
    Duration backoffInitial,
    Duration backoffMax,
    Duration retryAfterMax,
    int attemptsMax,
    int bodyBytesMax,
    boolean exactlyOnce) {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration BACKOFF_INITIAL = Duration.ofMillis(50);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(1);
  static final Duration RETRY_AFTER_MAX = Duration.ofSeconds(10);
  static final int ATTEMPTS_MAX = 100;
  static final int BODY_BYTES_MAX = 16 << 20;

  ClientSettings {
    positive("timeout", timeout);
    positive("connectTimeout", connectTimeout);
    positive("backoffInitial", backoffInitial);
    positive("backoffMax", backoffMax);
    if (retryAfterMax.isNegative()) {
      throw new IllegalArgumentException("retryAfterMax must not be negative: " + retryAfterMax);
    }
    if (backoffMax.compareTo(backoffInitial) < 0) {
      throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffInitial " + backoffInitial);
    }
    if (attemptsMax < 1) {
      throw new IllegalArgumentException("attemptsMax must be at least 1: " + attemptsMax);
    }
    if (bodyBytesMax < 1) {
      throw new IllegalArgumentException("bodyBytesMax must be at least 1 byte: " + bodyBytesMax);
    }
  }

  static ClientSettings defaults() {
    return new ClientSettings(TIMEOUT, CONNECT_TIMEOUT, BACKOFF_INITIAL, BACKOFF_MAX, RETRY_AFTER_MAX,
        ATTEMPTS_MAX, BODY_BYTES_MAX, true);
  }

  ClientSettings withTimeout(Duration t) {
    return new ClientSettings(t, connectTimeout, backoffInitial, backoffMax, retryAfterMax, attemptsMax,
        bodyBytesMax, exactlyOnce);
  }

  private static void positive(String name, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
