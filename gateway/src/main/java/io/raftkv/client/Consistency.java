package io.raftkv.client;

import java.util.Locale;

/** How fresh a read must be (the {@code consistency} query parameter). */
public enum Consistency {
  /** Reflects every write that completed before the read began; the leader confirms it leads. */
  LINEARIZABLE,
  /** Answered from the contacted node's state (forwarded to the leader if it is a follower), which may lag. */
  SERIALIZABLE;

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
