package io.raftkv.gatling;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings every raftkv simulation reads from system properties ({@code -Dname=value} on the
 * {@code mvn} or {@code java} command line). A blank value counts as not set. A bad value fails the
 * simulation before it starts, with a message naming the property.
 *
 * <table>
 *   <caption>System properties</caption>
 *   <tr><th>property</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code users}</td><td>concurrent users (closed model): each user is one client with its own
 *       keep-alive connection, doing one operation after another</td><td>16</td></tr>
 *   <tr><td>{@code rate}</td><td>arrival rate in users per second (open model); when set it replaces
 *       {@code users}: each arriving user opens its own connection, does {@code ops} operations (1 when
 *       {@code ops} is not set) and leaves</td><td>not set</td></tr>
 *   <tr><td>{@code ops}</td><td>operations per user; when set the run is bounded by count</td><td>not set
 *       (StressSimulation: 1000)</td></tr>
 *   <tr><td>{@code duration}</td><td>how long the run lasts, e.g. {@code 500ms}, {@code 30s}, {@code 2m},
 *       {@code 1h} (a bare number is seconds); a run is always bounded by it, even with {@code ops}: no
 *       operation starts after it</td><td>30s (StressSimulation: 10m)</td></tr>
 *   <tr><td>{@code urls}</td><td>comma-separated base URLs of the gateways; users are spread over them
 *       round-robin</td><td>{@code http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083}
 *       (the nodes of conf/cluster.conf)</td></tr>
 *   <tr><td>{@code keys}</td><td>key space of ReadHeavySimulation ({@code key_0} ..
 *       {@code key_<keys-1>})</td><td>10000</td></tr>
 *   <tr><td>{@code valueSize}</td><td>value size in bytes; when set, values are that many random
 *       lowercase letters instead of the seed's {@code value_<1000..9999>}</td><td>not set</td></tr>
 *   <tr><td>{@code maxFailedPct}</td><td>the run fails (assertion) if more than this percentage of
 *       requests failed, 0 to 100</td><td>0</td></tr>
 *   <tr><td>{@code seed}</td><td>random seed; each user draws from its own {@code Random} seeded from it and
 *       the user's number, so runs are reproducible</td><td>1</td></tr>
 *   <tr><td>{@code workload}</td><td>StressSimulation only: {@code put} (every operation a put) or
 *       {@code mixed} (70% put, 30% get)</td><td>mixed</td></tr>
 * </table>
 */
public final class LoadSettings {
  public static final int DEFAULT_USERS = 16;
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
  public static final List<String> DEFAULT_URLS =
      List.of("http://127.0.0.1:8081", "http://127.0.0.1:8082", "http://127.0.0.1:8083");
  public static final int DEFAULT_KEYS = 10_000;
  public static final long DEFAULT_SEED = 1;

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private final int users;
  private final OptionalDouble rate;
  private final OptionalInt ops;
  private final Optional<Duration> duration;
  private final List<String> urls;
  private final int keys;
  private final OptionalInt valueSize;
  private final double maxFailedPct;
  private final long seed;
  private final String workload;

  private LoadSettings(Function<String, String> properties) {
    users = positiveInt(properties, "users").orElse(DEFAULT_USERS);
    rate = positiveDouble(properties, "rate");
    ops = positiveInt(properties, "ops");
    duration = duration(properties, "duration");
    urls = urls(properties, "urls");
    keys = positiveInt(properties, "keys").orElse(DEFAULT_KEYS);
    valueSize = positiveInt(properties, "valueSize");
    maxFailedPct = percent(properties, "maxFailedPct");
    seed = longValue(properties, "seed").orElse(DEFAULT_SEED);
    String w = value(properties, "workload").orElse("mixed");
    if (!w.equals("put") && !w.equals("mixed")) throw bad("workload", "must be put or mixed", w);
    workload = w;
  }

  /** The settings from this JVM's system properties. */
  public static LoadSettings fromSystemProperties() {
    return new LoadSettings(System::getProperty);
  }

  /** The settings from {@code properties} (name to value, null when not set). */
  public static LoadSettings from(Function<String, String> properties) {
    return new LoadSettings(properties);
  }

  /** Concurrent users of the closed model. */
  public int users() { return users; }

  /** Users per second of the open model, when set. */
  public OptionalDouble rate() { return rate; }

  /** Operations per user, when set. */
  public OptionalInt ops() { return ops; }

  /** The run's duration, or {@code fallback} when the property is not set. */
  public Duration duration(Duration fallback) { return duration.orElse(fallback); }

  /** The run's duration, 30 s by default. */
  public Duration duration() { return duration(DEFAULT_DURATION); }

  /** The gateways' base URLs, without a trailing slash. */
  public List<String> urls() { return urls; }

  /** The key space of the read-heavy simulation. */
  public int keys() { return keys; }

  /** The value size in bytes, when set. */
  public OptionalInt valueSize() { return valueSize; }

  /** The largest acceptable percentage of failed requests. */
  public double maxFailedPct() { return maxFailedPct; }

  /** The random seed. */
  public long seed() { return seed; }

  /** StressSimulation's workload: {@code put} or {@code mixed}. */
  public String workload() { return workload; }

  /** A user's own random source: the same seed and user number always give the same draws. */
  public Random randomFor(long user) {
    return new Random(seed * 0x9E3779B97F4A7C15L + user);
  }

  /**
   * A value drawn from {@code random}: the seed's {@code value_<1000..9999>}, or {@code valueSize}
   * random lowercase letters when that is set.
   */
  public byte[] value(Random random) {
    if (valueSize.isEmpty()) return ("value_" + (1000 + random.nextInt(9000))).getBytes(StandardCharsets.US_ASCII);
    byte[] value = new byte[valueSize.getAsInt()];
    for (int i = 0; i < value.length; i++) value[i] = (byte) ('a' + random.nextInt(26));
    return value;
  }

  @Override
  public String toString() {
    return "users=" + users + (rate.isPresent() ? " rate=" + rate.getAsDouble() + "/s" : "")
        + (ops.isPresent() ? " ops=" + ops.getAsInt() : "") + " duration=" + duration.map(Duration::toString).orElse("default")
        + " urls=" + urls + " keys=" + keys + (valueSize.isPresent() ? " valueSize=" + valueSize.getAsInt() : "")
        + " maxFailedPct=" + maxFailedPct + " seed=" + seed + " workload=" + workload;
  }

  private static Optional<String> value(Function<String, String> properties, String name) {
    String v = properties.apply(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private static IllegalArgumentException bad(String name, String rule, String value) {
    return new IllegalArgumentException(name + " " + rule + ", got \"" + value + "\"");
  }

  private static OptionalInt positiveInt(Function<String, String> properties, String name) {
    Optional<String> v = value(properties, name);
    if (v.isEmpty()) return OptionalInt.empty();
    try {
      int n = Integer.parseInt(v.get());
      if (n > 0) return OptionalInt.of(n);
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(name, "must be a positive integer", v.get());
  }

  private static OptionalDouble positiveDouble(Function<String, String> properties, String name) {
    Optional<String> v = value(properties, name);
    if (v.isEmpty()) return OptionalDouble.empty();
    try {
      double d = Double.parseDouble(v.get());
      if (d > 0 && Double.isFinite(d)) return OptionalDouble.of(d);
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(name, "must be a positive number (users per second)", v.get());
  }

  private static double percent(Function<String, String> properties, String name) {
    Optional<String> v = value(properties, name);
    if (v.isEmpty()) return 0;
    try {
      double d = Double.parseDouble(v.get());
      if (d >= 0 && d <= 100) return d;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(name, "must be a percentage from 0 to 100", v.get());
  }

  private static Optional<Long> longValue(Function<String, String> properties, String name) {
    Optional<String> v = value(properties, name);
    if (v.isEmpty()) return Optional.empty();
    try {
      return Optional.of(Long.parseLong(v.get()));
    } catch (NumberFormatException e) {
      throw bad(name, "must be an integer", v.get());
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or a bare number of seconds; positive. */
  static Optional<Duration> duration(Function<String, String> properties, String name) {
    Optional<String> v = value(properties, name);
    if (v.isEmpty()) return Optional.empty();
    Matcher m = DURATION.matcher(v.get().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
        if (!d.isZero()) return Optional.of(d);
      } catch (NumberFormatException | ArithmeticException e) {
        // reported below
      }
    }
    throw bad(name, "must be a positive duration such as 500ms, 30s, 2m or 1h", v.get());
  }

  private static List<String> urls(Function<String, String> properties, String name) {
    Optional<String> v = value(properties, name);
    if (v.isEmpty()) return DEFAULT_URLS;
    List<String> urls = new ArrayList<>();
    for (String part : v.get().split(",")) {
      String url = part.trim();
      while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw bad(name, "must be comma-separated base URLs such as http://127.0.0.1:8081", v.get());
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
          || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
        throw bad(name, "must be comma-separated base URLs such as http://127.0.0.1:8081 (no path)", v.get());
      }
      urls.add(url);
    }
    return List.copyOf(urls);
  }
}
