package io.raftkv.profiling.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The rows of one benchmark, side by side: the table, the JSON rows and the verdict on each target. */
public final class BenchReport {
  /** The system that is measured against the baseline. */
  public static final String SUBJECT = "raftkv";
  /** The system it is measured against. */
  public static final String BASELINE = "etcd";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One goal and whether this run met it; {@code met} is empty when the run lacks a row it needs. */
  public record Verdict(String target, Optional<Boolean> met, String measured) {}

  private final List<BenchRow> rows;

  public BenchReport(List<BenchRow> rows) {
    this.rows = List.copyOf(rows);
  }

  public List<BenchRow> rows() {
    return rows;
  }

  public Optional<BenchRow> row(String workload, String system) {
    return rows.stream().filter(r -> r.workload().equals(workload) && r.system().equals(system)).findFirst();
  }

  /** Throughput of raftkv over etcd's for a workload, if both ran it. */
  public Optional<Double> ratio(String workload) {
    Optional<BenchRow> s = row(workload, SUBJECT);
    Optional<BenchRow> b = row(workload, BASELINE);
    if (s.isEmpty() || b.isEmpty() || b.get().throughput() == 0) return Optional.empty();
    return Optional.of(s.get().throughput() / b.get().throughput());
  }

  /** The Markdown table: one line per workload, both systems side by side. */
  public String table() {
    StringBuilder s = new StringBuilder();
    s.append("| workload | raftkv req/s | etcd req/s | raftkv/etcd | raftkv p50 ms | etcd p50 ms | raftkv p99 ms | etcd p99 ms "
        + "| raftkv RSS MiB per node | etcd RSS MiB per node | errors raftkv/etcd |\n");
    s.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |\n");
    for (String w : workloads()) {
      Optional<BenchRow> r = row(w, SUBJECT);
      Optional<BenchRow> e = row(w, BASELINE);
      s.append("| ").append(w)
          .append(" | ").append(r.map(x -> String.format(Locale.ROOT, "%,.0f", x.throughput())).orElse("-"))
          .append(" | ").append(e.map(x -> String.format(Locale.ROOT, "%,.0f", x.throughput())).orElse("-"))
          .append(" | ").append(ratio(w).map(x -> String.format(Locale.ROOT, "%.2fx", x)).orElse("-"))
          .append(" | ").append(r.map(x -> ms(x.p50Ms())).orElse("-"))
          .append(" | ").append(e.map(x -> ms(x.p50Ms())).orElse("-"))
          .append(" | ").append(r.map(x -> ms(x.p99Ms())).orElse("-"))
          .append(" | ").append(e.map(x -> ms(x.p99Ms())).orElse("-"))
          .append(" | ").append(r.map(x -> rss(x.rssMb())).orElse("-"))
          .append(" | ").append(e.map(x -> rss(x.rssMb())).orElse("-"))
          .append(" | ").append(r.map(x -> Long.toString(x.errors())).orElse("-")).append("/")
          .append(e.map(x -> Long.toString(x.errors())).orElse("-"))
          .append(" |\n");
    }
    return s.toString();
  }

  /**
   * The secure cluster against plain raftkv, workload by workload: throughput, their ratio and the
   * latencies; empty when the run had no {@link RaftkvTarget#SECURE} rows.
   */
  public String secureTable() {
    if (rows.stream().noneMatch(r -> r.system().equals(RaftkvTarget.SECURE))) return "";
    StringBuilder s = new StringBuilder();
    s.append("| workload | plain req/s | secure req/s | secure/plain | plain p50 ms | secure p50 ms | plain p99 ms | secure p99 ms "
        + "| secure RSS MiB per node | errors plain/secure |\n");
    s.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |\n");
    for (String w : workloads()) {
      Optional<BenchRow> p = row(w, SUBJECT);
      Optional<BenchRow> t = row(w, RaftkvTarget.SECURE);
      Optional<Double> ratio = p.isPresent() && t.isPresent() && p.get().throughput() > 0
          ? Optional.of(t.get().throughput() / p.get().throughput()) : Optional.empty();
      s.append("| ").append(w)
          .append(" | ").append(p.map(x -> String.format(Locale.ROOT, "%,.0f", x.throughput())).orElse("-"))
          .append(" | ").append(t.map(x -> String.format(Locale.ROOT, "%,.0f", x.throughput())).orElse("-"))
          .append(" | ").append(ratio.map(x -> String.format(Locale.ROOT, "%.2fx", x)).orElse("-"))
          .append(" | ").append(p.map(x -> ms(x.p50Ms())).orElse("-"))
          .append(" | ").append(t.map(x -> ms(x.p50Ms())).orElse("-"))
          .append(" | ").append(p.map(x -> ms(x.p99Ms())).orElse("-"))
          .append(" | ").append(t.map(x -> ms(x.p99Ms())).orElse("-"))
          .append(" | ").append(t.map(x -> rss(x.rssMb())).orElse("-"))
          .append(" | ").append(p.map(x -> Long.toString(x.errors())).orElse("-")).append("/")
          .append(t.map(x -> Long.toString(x.errors())).orElse("-"))
          .append(" |\n");
    }
    return s.toString();
  }

  /** The four goals, each with what this run measured. */
  public List<Verdict> verdicts() {
    List<Verdict> out = new ArrayList<>();
    out.add(throughputGoal("put@64", "put@64: at least 1.5x etcd's throughput, p99 no higher than etcd's", true));
    out.add(throughputGoal("get@64", "get@64: at least 1.5x etcd's throughput", false));
    Optional<BenchRow> r = row("put@1", SUBJECT);
    Optional<BenchRow> e = row("put@1", BASELINE);
    out.add(new Verdict("put@1: p50 no higher than etcd's",
        r.isPresent() && e.isPresent() ? Optional.of(r.get().p50Ms() <= e.get().p50Ms()) : Optional.empty(),
        r.isPresent() && e.isPresent() ? "p50 " + ms(r.get().p50Ms()) + " against " + ms(e.get().p50Ms()) + " ms" : "not run"));
    out.add(throughputGoal("mixed@64", "mixed@64: at least 1.5x etcd's throughput", false));
    return out;
  }

  private Verdict throughputGoal(String workload, String target, boolean p99NoHigher) {
    Optional<Double> ratio = ratio(workload);
    if (ratio.isEmpty()) return new Verdict(target, Optional.empty(), "not run");
    BenchRow r = row(workload, SUBJECT).orElseThrow();
    BenchRow e = row(workload, BASELINE).orElseThrow();
    boolean met = ratio.get() >= 1.5 && (!p99NoHigher || r.p99Ms() <= e.p99Ms());
    String measured = String.format(Locale.ROOT, "%.2fx", ratio.get())
        + (p99NoHigher ? ", p99 " + ms(r.p99Ms()) + " against " + ms(e.p99Ms()) + " ms" : "");
    return new Verdict(target, Optional.of(met), measured);
  }

  /** The verdicts as Markdown list items. */
  public String verdictList() {
    return verdicts().stream().map(v -> "- " + v.met().map(m -> m ? "met" : "missed").orElse("not run") + ": " + v.target() + " (" + v.measured() + ")")
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** The rows as a JSON array: workload, system, throughput, p50_ms, p99_ms, rss_mb (per node), requests, errors. */
  public String json() {
    ArrayNode array = JSON.createArrayNode();
    for (BenchRow r : rows) {
      ObjectNode o = array.addObject();
      o.put("workload", r.workload());
      o.put("system", r.system());
      o.put("throughput", round(r.throughput(), 1));
      o.put("p50_ms", round(r.p50Ms(), 3));
      o.put("p99_ms", round(r.p99Ms(), 3));
      ArrayNode rss = o.putArray("rss_mb");
      r.rssMb().forEach(m -> rss.add(round(m, 1)));
      o.put("requests", r.requests());
      o.put("errors", r.errors());
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> workloads() {
    Set<String> seen = new LinkedHashSet<>();
    rows.forEach(r -> seen.add(r.workload()));
    return List.copyOf(seen);
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
  }

  private static String rss(List<Double> mib) {
    return mib.stream().map(m -> String.format(Locale.ROOT, "%.0f", m)).collect(Collectors.joining(" / "));
  }

  private static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }
}
