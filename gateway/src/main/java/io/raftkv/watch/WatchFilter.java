package io.raftkv.watch;

import java.util.Objects;

/** Which keys a watch follows: one key, or every key with a prefix (the empty prefix: all). */
public record WatchFilter(String key, String prefix) {

  public WatchFilter {
    if ((key == null) == (prefix == null)) {
      throw new IllegalArgumentException("watch either a key or a prefix");
    }
  }

  public static WatchFilter key(String key) {
    return new WatchFilter(Objects.requireNonNull(key, "key"), null);
  }

  public static WatchFilter prefix(String prefix) {
    return new WatchFilter(null, Objects.requireNonNull(prefix, "prefix"));
  }

  public boolean matches(String candidate) {
    return key != null ? key.equals(candidate) : candidate.startsWith(prefix);
  }
}
