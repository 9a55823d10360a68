package io.raftkv.persistence.kv;

import java.util.Objects;

/** Checks on keys and key prefixes, and their UTF-8 size, without encoding them. */
final class Keys {

  private Keys() {}

  /**
   * Refuses a null key, an empty key (it cannot be an HTTP path segment) and one that is not
   * well-formed UTF-16: a lone surrogate has no UTF-8 form, so it would not survive the snapshot
   * (which stores keys as UTF-8) and replicas restored from one would disagree with the others.
   */
  static String requireKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    utf8Length(key, "key");
    return key;
  }

  /** Like {@link #requireKey} but an empty prefix is allowed: it matches every key. */
  static String requirePrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    utf8Length(prefix, "prefix");
    return prefix;
  }

  /** The number of bytes of the UTF-8 form of {@code text}, which must be well-formed UTF-16. */
  static int utf8Length(String text, String what) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            what + " is not well-formed UTF-16: lone surrogate at char index " + i);
      } else {
        bytes += 3;
      }
    }
    // A String holds at most Integer.MAX_VALUE chars of at most 3 bytes each: the long cannot
    // overflow, but the int result could; no configurable limit comes near it anyway.
    return (int) Math.min(bytes, Integer.MAX_VALUE);
  }
}
