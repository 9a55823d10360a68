package io.raftkv.debug;

import java.time.Duration;
import java.util.Optional;

/**
 * One {@code GET /debug/profile?event=E&seconds=N&format=F}, validated.
 *
 * @param event what to sample (default cpu)
 * @param duration how long (default {@value #SECONDS_DEFAULT} s, as Go's pprof)
 * @param format the answer's form (default html)
 */
public record ProfileRequest(ProfileEvent event, Duration duration, ProfileFormat format) {
  public static final long SECONDS_DEFAULT = 30;

  /** The request from its query parameters; a bad one is refused with an IllegalArgumentException saying what is allowed. */
  public static ProfileRequest parse(Optional<String> event, Optional<String> seconds, Optional<String> format, CaptureBounds bounds) {
    ProfileEvent e = event.map(name -> ProfileEvent.named(name)
            .orElseThrow(() -> new IllegalArgumentException("event must be one of " + ProfileEvent.known() + ", was '" + name + "'")))
        .orElse(ProfileEvent.CPU);
    ProfileFormat f = format.map(name -> ProfileFormat.named(name)
            .orElseThrow(() -> new IllegalArgumentException("format must be html or collapsed, was '" + name + "'")))
        .orElse(ProfileFormat.HTML);
    return new ProfileRequest(e, bounds.seconds(seconds, SECONDS_DEFAULT), f);
  }
}
