package io.raftkv.debug;

import java.time.Duration;
import java.util.Optional;

/**
 * One {@code GET /debug/jfr?seconds=N&settings=S}, validated.
 *
 * @param duration how long to record (default {@value #SECONDS_DEFAULT} s)
 * @param settings the JDK's settings file: {@code profile} (the default: method samples every
 *     10-20 ms, about 2% of a core by the JDK's account) or {@code default} (about 1%)
 */
public record JfrRequest(Duration duration, String settings) {
  public static final long SECONDS_DEFAULT = 30;

  public static JfrRequest parse(Optional<String> seconds, Optional<String> settings, CaptureBounds bounds) {
    String s = settings.orElse("profile");
    if (!s.equals("profile") && !s.equals("default")) {
      throw new IllegalArgumentException("settings must be profile or default (the JDK's .jfc files), was '" + s + "'");
    }
    return new JfrRequest(bounds.seconds(seconds, SECONDS_DEFAULT), s);
  }
}
