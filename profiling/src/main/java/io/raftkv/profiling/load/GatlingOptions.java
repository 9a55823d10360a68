package io.raftkv.profiling.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One Gatling run of a raftkv simulation (module gatling/, package io.raftkv.gatling): which
 * simulation, and the settings it reads from system properties (gatling/README.md documents them).
 *
 * @param simulation   {@code put}, {@code mixed}, {@code read-heavy} or {@code stress} (see {@link #SIMULATIONS})
 * @param users        concurrent users of the closed model (each one keep-alive connection)
 * @param rate         arrival rate in users per second (open model); when set it replaces {@code users}
 * @param opsPerUser   operations per user; when set the run is bounded by count (stress: 1000 when empty)
 * @param duration     the run's duration; it is always bounded by it, even with {@code opsPerUser}
 * @param urls         the gateways' base URLs ({@code http://host:port}), users spread round-robin
 * @param keySpace     the read-heavy simulation's key space
 * @param valueSize    value size in bytes; empty: the seed's {@code value_<1000..9999>}
 * @param maxFailedPct the run's assertion fails above this percentage of failed requests (0 to 100)
 * @param seed         random seed; the same options send the same keys and values
 * @param workload     the stress simulation's operations: {@code put} or {@code mixed} (ignored by the others)
 */
public record GatlingOptions(
    String simulation,
    int users,
    OptionalDouble rate,
    OptionalInt opsPerUser,
    Duration duration,
    List<String> urls,
    int keySpace,
    OptionalInt valueSize,
    double maxFailedPct,
    long seed,
    String workload) {

  /** Simulation names and their classes, in the order the help text lists them. */
  public static final Map<String, String> SIMULATIONS;

  static {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("put", "io.raftkv.gatling.PutSimulation");
    s.put("mixed", "io.raftkv.gatling.MixedSimulation");
    s.put("read-heavy", "io.raftkv.gatling.ReadHeavySimulation");
    s.put("stress", "io.raftkv.gatling.StressSimulation");
    SIMULATIONS = java.util.Collections.unmodifiableMap(s);
  }

  public static final int DEFAULT_USERS = 16;
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
  /** The three nodes of conf/cluster.conf. */
  public static final List<String> DEFAULT_URLS = List.of("http://127.0.0.1:8081", "http://127.0.0.1:8082", "http://127.0.0.1:8083");
  public static final int DEFAULT_KEY_SPACE = 10_000;
  public static final long DEFAULT_SEED = 1;
  public static final String DEFAULT_WORKLOAD = "mixed";

  public GatlingOptions {
    urls = urls == null ? null : List.copyOf(urls);
  }

  /** {@code simulation} with every default: 16 users, 30 s, the nodes of conf/cluster.conf, 10000 keys, no failures allowed, seed 1. */
  public static GatlingOptions defaults(String simulation) {
    return new GatlingOptions(simulation, DEFAULT_USERS, OptionalDouble.empty(), OptionalInt.empty(), DEFAULT_DURATION,
        DEFAULT_URLS, DEFAULT_KEY_SPACE, OptionalInt.empty(), 0, DEFAULT_SEED, DEFAULT_WORKLOAD);
  }

  public GatlingOptions withUsers(int users) {
    return new GatlingOptions(simulation, users, rate, opsPerUser, duration, urls, keySpace, valueSize, maxFailedPct, seed, workload);
  }

  public GatlingOptions withRate(OptionalDouble rate) {
    return new GatlingOptions(simulation, users, rate, opsPerUser, duration, urls, keySpace, valueSize, maxFailedPct, seed, workload);
  }

  public GatlingOptions withOpsPerUser(OptionalInt opsPerUser) {
    return new GatlingOptions(simulation, users, rate, opsPerUser, duration, urls, keySpace, valueSize, maxFailedPct, seed, workload);
  }

  public GatlingOptions withDuration(Duration duration) {
    return new GatlingOptions(simulation, users, rate, opsPerUser, duration, urls, keySpace, valueSize, maxFailedPct, seed, workload);
  }

  public GatlingOptions withUrls(List<String> urls) {
    return new GatlingOptions(simulation, users, rate, opsPerUser, duration, urls, keySpace, valueSize, maxFailedPct, seed, workload);
  }

  public GatlingOptions withKeySpace(int keySpace) {
    return new GatlingOptions(simulation, users, rate, opsPerUser, duration, urls, keySpace, valueSize, maxFailedPct, seed, workload);
  }

  public GatlingOptions withValueSize(OptionalInt valueSize) {
    return new GatlingOptions(simulation, users, rate, opsPerUser, duration, urls, keySpace, valueSize, maxFailedPct, seed, workload);
  }

  public GatlingOptions withMaxFailedPct(double maxFailedPct) {
    return new GatlingOptions(simulation, users, rate, opsPerUser, duration, urls, keySpace, valueSize, maxFailedPct, seed, workload);
  }

  public GatlingOptions withSeed(long seed) {
    return new GatlingOptions(simulation, users, rate, opsPerUser, duration, urls, keySpace, valueSize, maxFailedPct, seed, workload);
  }

  public GatlingOptions withWorkload(String workload) {
    return new GatlingOptions(simulation, users, rate, opsPerUser, duration, urls, keySpace, valueSize, maxFailedPct, seed, workload);
  }

  /** The simulation's class name, e.g. {@code io.raftkv.gatling.MixedSimulation}. */
  public String simulationClass() {
    validateSimulation();
    return SIMULATIONS.get(simulation);
  }

  /**
   * Checks every option; returns this.
   *
   * @throws IllegalArgumentException naming the first bad option and its value
   */
  public GatlingOptions validate() {
    validateSimulation();
    if (users <= 0) throw bad("users", "must be a positive integer", users);
    if (rate == null) throw new IllegalArgumentException("rate must be given (OptionalDouble.empty() when not set)");
    if (rate.isPresent() && !(rate.getAsDouble() > 0 && Double.isFinite(rate.getAsDouble()))) {
      throw bad("rate", "must be a positive number of users per second", rate.getAsDouble());
    }
    if (rate.isPresent() && simulation.equals("stress")) {
      throw new IllegalArgumentException("rate does not apply to the stress simulation (a closed model of users x ops)");
    }
    if (opsPerUser == null) throw new IllegalArgumentException("opsPerUser must be given (OptionalInt.empty() when not set)");
    if (opsPerUser.isPresent() && opsPerUser.getAsInt() <= 0) throw bad("opsPerUser", "must be a positive integer", opsPerUser.getAsInt());
    if (duration == null || duration.isNegative() || duration.toMillis() <= 0) {
      throw bad("duration", "must be at least 1 ms", duration);
    }
    if (urls == null || urls.isEmpty()) throw new IllegalArgumentException("urls must list at least one gateway URL such as http://127.0.0.1:8081");
    for (String url : urls) checkUrl(url);
    if (keySpace <= 0) throw bad("keySpace", "must be a positive integer", keySpace);
    if (valueSize == null) throw new IllegalArgumentException("valueSize must be given (OptionalInt.empty() when not set)");
    if (valueSize.isPresent() && valueSize.getAsInt() <= 0) throw bad("valueSize", "must be a positive number of bytes", valueSize.getAsInt());
    if (!(maxFailedPct >= 0 && maxFailedPct <= 100)) throw bad("maxFailedPct", "must be a percentage from 0 to 100", maxFailedPct);
    if (!"put".equals(workload) && !"mixed".equals(workload)) throw bad("workload", "must be put or mixed", workload);
    return this;
  }

  /**
   * The {@code -Dname=value} options that pass these settings to the simulation (the property
   * names of gatling/README.md); unset optional values are left out.
   */
  public List<String> systemProperties() {
    validate();
    List<String> p = new ArrayList<>();
    p.add("-Dusers=" + users);
    rate.ifPresent(r -> p.add("-Drate=" + r));
    opsPerUser.ifPresent(o -> p.add("-Dops=" + o));
    p.add("-Dduration=" + (duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms"));
    p.add("-Durls=" + String.join(",", urls));
    p.add("-Dkeys=" + keySpace);
    valueSize.ifPresent(v -> p.add("-DvalueSize=" + v));
    p.add("-DmaxFailedPct=" + maxFailedPct);
    p.add("-Dseed=" + seed);
    p.add("-Dworkload=" + workload);
    return List.copyOf(p);
  }

  /** A short description of the run, e.g. {@code mixed: 16 users, 30s, 3 urls}. */
  public String describe() {
    StringBuilder d = new StringBuilder(simulation).append(": ");
    if (rate.isPresent()) d.append(rate.getAsDouble()).append(" users/s");
    else d.append(users).append(" users");
    opsPerUser.ifPresent(o -> d.append(", ").append(o).append(" ops/user"));
    d.append(", ").append(duration.toString().substring(2).toLowerCase(Locale.ROOT));
    d.append(", ").append(urls.size()).append(urls.size() == 1 ? " url" : " urls");
    if (simulation.equals("stress")) d.append(", workload ").append(workload);
    if (simulation.equals("read-heavy")) d.append(", ").append(keySpace).append(" keys");
    valueSize.ifPresent(v -> d.append(", ").append(v).append("-byte values"));
    return d.toString();
  }

  private void validateSimulation() {
    if (simulation == null || !SIMULATIONS.containsKey(simulation)) {
      throw new IllegalArgumentException("simulation must be one of " + String.join(", ", SIMULATIONS.keySet()) + ", got \"" + simulation + "\"");
    }
  }

  private static void checkUrl(String url) {
    URI uri;
    try {
      uri = url == null ? null : URI.create(url);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) || uri.getRawQuery() != null
        || url.contains(",")) {
      throw bad("urls", "must be base URLs such as http://127.0.0.1:8081 (no path)", url);
    }
  }

  private static IllegalArgumentException bad(String name, String rule, Object value) {
    return new IllegalArgumentException(name + " " + rule + ", got \"" + value + "\"");
  }
}
