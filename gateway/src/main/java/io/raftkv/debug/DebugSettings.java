package io.raftkv.debug;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * The debug endpoints' settings ({@code raftkv.debug} in reference.conf, where each is explained),
 * validated at start.
 *
 * @param enabled whether the node serves {@code /debug/*}: always, never, or only on a loopback bind
 * @param recentMaxAge how far back the continuous recording behind {@code /debug/jfr/recent} reaches
 * @param recentMaxBytes how large that recording may grow on disk; the oldest part goes first
 */
public record DebugSettings(Mode enabled, Duration recentMaxAge, long recentMaxBytes) {
  /** JFR writes its recordings in chunks of up to 12 MiB; a smaller bound would keep less than one chunk of history. */
  public static final long RECENT_BYTES_MIN = 1L << 20;

  /** {@code raftkv.debug.enabled}. */
  public enum Mode {
    /** Served when the HTTP API binds to a loopback address: reachable only from this host. */
    AUTO,
    ON,
    OFF
  }

  public DebugSettings {
    if (recentMaxAge.isNegative() || recentMaxAge.isZero()) {
      throw new IllegalArgumentException("raftkv.debug.recent-max-age: must be positive, was " + recentMaxAge);
    }
    if (recentMaxBytes < RECENT_BYTES_MIN) {
      throw new IllegalArgumentException("raftkv.debug.recent-max-size: must be at least 1 MiB, was " + recentMaxBytes + " bytes");
    }
  }

  /** Reads {@code raftkv.debug}. */
  public static DebugSettings fromConfig(Config debug) {
    return new DebugSettings(mode(debug.getString("enabled")), debug.getDuration("recent-max-age"), debug.getBytes("recent-max-size"));
  }

  /** {@code auto}, or one of HOCON's spellings of a boolean ({@code on}/{@code off}, {@code true}/{@code false}, {@code yes}/{@code no}). */
  static Mode mode(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> Mode.AUTO;
      case "on", "true", "yes" -> Mode.ON;
      case "off", "false", "no" -> Mode.OFF;
      default -> throw new IllegalArgumentException("raftkv.debug.enabled: must be auto, on or off, was '" + value + "'");
    };
  }

  /**
   * Whether a node whose HTTP API binds to {@code host} serves the debug endpoints. They let anyone
   * who reaches the port make the node profile itself and read its stacks, so by default only a
   * loopback bind (reachable from this host alone) serves them; any other address needs {@code on}.
   */
  public boolean servedOn(String host) {
    return switch (enabled) {
      case ON -> true;
      case OFF -> false;
      case AUTO -> loopback(host);
    };
  }

  /** Whether {@code host} names a loopback address; a name that does not resolve is not one. */
  static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
