package io.raftkv.profiling.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One load the benchmark drives both systems with: an operation mix and a number of concurrent
 * connections, named like {@code put@64}. Each connection is a closed loop: it sends its next
 * request when the previous answer arrived.
 */
public record Workload(Kind kind, int connections) {
  /** The most connections one workload may open. */
  public static final int MAX_CONNECTIONS = 1024;

  /** The operation mix. */
  public enum Kind {
    /** Only writes of a 100-byte value to a random pre-filled key. */
    PUT(100),
    /** Only linearizable reads of a random pre-filled key. */
    GET(0),
    /** The seed's mix: 70% writes, 30% linearizable reads. */
    MIXED(70);

    /** The share of requests that are writes, in percent. */
    public final int putPercent;

    Kind(int putPercent) {
      this.putPercent = putPercent;
    }
  }

  /** The issue's six: put at 1, 16 and 64 connections; get at 1 and 64; mixed at 64. */
  public static final List<Workload> DEFAULTS = List.of(
      new Workload(Kind.PUT, 1), new Workload(Kind.PUT, 16), new Workload(Kind.PUT, 64),
      new Workload(Kind.GET, 1), new Workload(Kind.GET, 64), new Workload(Kind.MIXED, 64));

  public Workload {
    if (kind == null) throw new IllegalArgumentException("a workload needs a kind");
    if (connections < 1 || connections > MAX_CONNECTIONS) {
      throw new IllegalArgumentException("connections must be 1.." + MAX_CONNECTIONS + ", not " + connections);
    }
  }

  /** {@code put@64}, {@code get@1}, {@code mixed@64}. */
  public String name() {
    return kind.name().toLowerCase(Locale.ROOT) + "@" + connections;
  }

  /** Parses a name such as {@code put@64}; throws with the accepted forms on anything else. */
  public static Workload parse(String text) {
    String t = text.trim();
    int at = t.indexOf('@');
    if (at < 0) throw new IllegalArgumentException("'" + text + "': a workload is KIND@CONNECTIONS, e.g. put@64 (kinds: put, get, mixed)");
    Kind kind;
    try {
      kind = Kind.valueOf(t.substring(0, at).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': unknown kind '" + t.substring(0, at) + "' (kinds: put, get, mixed)");
    }
    int connections;
    try {
      connections = Integer.parseInt(t.substring(at + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': connections must be a number, e.g. put@64");
    }
    try {
      return new Workload(kind, connections);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
    }
  }

  /** Parses a comma-separated list such as {@code put@1,get@64}. */
  public static List<Workload> parseList(String text) {
    List<Workload> out = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) out.add(parse(part));
    }
    if (out.isEmpty()) throw new IllegalArgumentException("no workload given; e.g. put@1,put@64,get@64");
    return out;
  }
}
