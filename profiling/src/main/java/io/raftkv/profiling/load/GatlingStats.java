package io.raftkv.profiling.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statistics of one Gatling run: all requests together, and per request name ({@code put},
 * {@code get}).
 *
 * <p>Gatling 3.15's report has no machine-readable statistics file (no {@code js/stats.json} nor
 * {@code js/global_stats.json} any more, and {@code simulation.log} is binary): the numbers are read
 * from the Stats table of the report's {@code index.html} ({@link #fromReport}), located by its
 * column headers. The runner then writes them as JSON next to it, in {@value #JSON_FILE}
 * ({@link #write}, {@link #read}).
 *
 * @param global    all requests
 * @param byRequest per request name, in the report's order
 */
public record GatlingStats(RequestStats global, Map<String, RequestStats> byRequest) {
  /** The JSON file the runner writes into the report directory. */
  public static final String JSON_FILE = "raftkv-stats.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One row of the Stats table. Response times are in milliseconds, over all the requests counted
   * (OK and KO), as the report's table shows them; 0 where the table shows none ({@code -}).
   *
   * @param requests             requests sent (ok + ko)
   * @param ok                   requests that passed their checks
   * @param ko                   requests that failed (connection error, timeout, unexpected status)
   * @param meanRequestsPerSecond requests per second over the run
   */
  public record RequestStats(long requests, long ok, long ko, double meanRequestsPerSecond,
                             long minMs, long p50Ms, long p75Ms, long p95Ms, long p99Ms, long maxMs, long meanMs) {}

  public GatlingStats {
    byRequest = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byRequest));
  }

  /** The statistics of request name {@code name}, if the run sent any. */
  public java.util.Optional<RequestStats> request(String name) {
    return java.util.Optional.ofNullable(byRequest.get(name));
  }

  /** Column header text in the report's Stats table → the field it holds. */
  private static final Map<String, String> COLUMNS = Map.ofEntries(
      Map.entry("total", "requests"), Map.entry("ok", "ok"), Map.entry("ko", "ko"), Map.entry("cnt/s", "rate"),
      Map.entry("min", "min"), Map.entry("50th pct", "p50"), Map.entry("75th pct", "p75"), Map.entry("95th pct", "p95"),
      Map.entry("99th pct", "p99"), Map.entry("max", "max"), Map.entry("mean", "mean"));

  private static final Pattern HEADER = Pattern.compile("<th id=\"col-(\\d+)\"[^>]*>\\s*<span>(?:<abbr[^>]*>)?([^<]*)<");
  private static final Pattern ROW = Pattern.compile("<tr id=\"([^\"]*)\"[^>]*>(.*?)</tr>", Pattern.DOTALL);
  private static final Pattern NAME = Pattern.compile("class=\"ellipsed-name\">([^<]*)</span>");
  private static final Pattern CELL = Pattern.compile("<td class=\"value [a-z]+ col-(\\d+)\">([^<]*)</td>");

  /** Parses the Stats table of {@code reportDir/index.html}. */
  public static GatlingStats fromReport(Path reportDir) throws IOException {
    Path index = reportDir.resolve("index.html");
    if (!Files.isRegularFile(index)) throw new IOException("no Gatling report in " + reportDir + ": index.html is missing");
    try {
      return parseIndexHtml(Files.readString(index, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException("cannot read the statistics of " + index + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses the Stats table of a Gatling 3.15 {@code index.html}: the row {@code ROOT} ("All
   * Requests") is {@link #global}, the others are the request names.
   *
   * @throws IllegalArgumentException when the table or one of its columns is missing
   */
  static GatlingStats parseIndexHtml(String html) {
    int table = html.indexOf("id=\"StatsContainerId\"");
    if (table < 0) throw new IllegalArgumentException("the report has no Stats table (StatsContainerId)");
    int end = html.indexOf("</dialog>", table);
    String stats = html.substring(table, end < 0 ? html.length() : end);

    Map<Integer, String> columns = new HashMap<>();
    Matcher h = HEADER.matcher(stats);
    while (h.find()) {
      String field = COLUMNS.get(h.group(2).trim().toLowerCase(java.util.Locale.ROOT));
      if (field != null) columns.put(Integer.parseInt(h.group(1)), field);
    }
    for (String field : COLUMNS.values()) {
      if (!columns.containsValue(field)) throw new IllegalArgumentException("the Stats table has no column for " + field);
    }

    RequestStats global = null;
    Map<String, RequestStats> byRequest = new LinkedHashMap<>();
    Matcher r = ROW.matcher(stats);
    while (r.find()) {
      Matcher n = NAME.matcher(r.group(2));
      if (!n.find()) continue;
      Map<String, String> values = new HashMap<>();
      Matcher c = CELL.matcher(r.group(2));
      while (c.find()) {
        String field = columns.get(Integer.parseInt(c.group(1)));
        if (field != null) values.put(field, c.group(2).trim());
      }
      RequestStats row = row(values);
      if (r.group(1).equals("ROOT")) global = row;
      else byRequest.putIfAbsent(unescape(n.group(1).trim()), row);
    }
    if (global == null) throw new IllegalArgumentException("the Stats table has no All Requests row");
    return new GatlingStats(global, byRequest);
  }

  private static RequestStats row(Map<String, String> v) {
    return new RequestStats(count(v, "requests"), count(v, "ok"), count(v, "ko"), number(v, "rate"),
        count(v, "min"), count(v, "p50"), count(v, "p75"), count(v, "p95"), count(v, "p99"), count(v, "max"), count(v, "mean"));
  }

  private static double number(Map<String, String> values, String field) {
    String v = values.get(field);
    if (v == null) throw new IllegalArgumentException("a row has no value for " + field);
    v = v.replace(",", "");
    if (v.equals("-") || v.isEmpty()) return 0;
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad " + field + " value \"" + v + "\"");
    }
  }

  private static long count(Map<String, String> values, String field) {
    return Math.round(number(values, field));
  }

  private static String unescape(String html) {
    return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'")
        .replace("&amp;", "&");
  }

  /** Writes these statistics as JSON to {@code file}. */
  public void write(Path file) throws IOException {
    JSON.writeValue(file.toFile(), this);
  }

  /** Reads statistics written by {@link #write}. */
  public static GatlingStats read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), GatlingStats.class);
  }

  /** A one-line summary, e.g. {@code 48210 requests, 0 failed, 4012.3 req/s, p50 3 ms, p99 12 ms}. */
  public String summary() {
    return String.format(java.util.Locale.ROOT, "%d requests, %d failed, %.1f req/s, p50 %d ms, p95 %d ms, p99 %d ms, max %d ms",
        global.requests(), global.ko(), global.meanRequestsPerSecond(), global.p50Ms(), global.p95Ms(), global.p99Ms(), global.maxMs());
  }

  /** Request names, in the report's order. */
  public List<String> requestNames() {
    return List.copyOf(byRequest.keySet());
  }
}
