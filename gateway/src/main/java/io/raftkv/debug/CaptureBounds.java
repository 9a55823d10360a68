package io.raftkv.debug;

import java.time.Duration;
import java.util.Optional;

/**
 * How many seconds one {@code /debug/profile} or {@code /debug/jfr} may cover. At most
 * {@value #SECONDS_MAX}: longer than that is a job for {@code raftkv profile}. And shorter than the
 * HTTP server's idle timeout, because nothing crosses the connection while the node records: a
 * longer wait would have the connection closed under the answer (Go's pprof refuses a profile
 * longer than its server's write timeout for the same reason).
 *
 * @param secondsMax the longest capture, in seconds
 * @param why what sets that bound, for the 400 that refuses more
 */
public record CaptureBounds(long secondsMax, String why) {
  public static final long SECONDS_MAX = 300;
  /** Time left on the connection after the capture, to stop the profiler and write the file out. */
  public static final Duration FINISH_SLACK = Duration.ofSeconds(10);

  /**
   * The bounds under an idle timeout ({@code pekko.http.server.idle-timeout}; empty: the server has
   * none). A timeout of {@link #FINISH_SLACK} or less still allows one second, which stopping and
   * writing out a short capture fits in.
   */
  public static CaptureBounds under(Optional<Duration> idleTimeout) {
    if (idleTimeout.isEmpty() || idleTimeout.get().minus(FINISH_SLACK).toSeconds() >= SECONDS_MAX) {
      return new CaptureBounds(SECONDS_MAX, "at most " + SECONDS_MAX + " s (use raftkv profile for longer)");
    }
    long max = Math.max(1, idleTimeout.get().minus(FINISH_SLACK).toSeconds());
    return new CaptureBounds(max, "pekko.http.server.idle-timeout is " + idleTimeout.get().toSeconds() + " s, and nothing crosses the"
        + " connection while the node records; raise it for longer captures (up to " + SECONDS_MAX + " s)");
  }

  /** The {@code seconds} query parameter: absent means {@code fallback}; otherwise a whole number in [1, secondsMax]. */
  Duration seconds(Optional<String> given, long fallback) {
    long s;
    try {
      s = given.map(v -> Long.parseLong(v.trim())).orElse(Math.min(fallback, secondsMax));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("seconds must be a whole number, was '" + given.get() + "'");
    }
    if (s < 1 || s > secondsMax) throw new IllegalArgumentException("seconds must be between 1 and " + secondsMax + ", was " + s + ": " + why);
    return Duration.ofSeconds(s);
  }
}
