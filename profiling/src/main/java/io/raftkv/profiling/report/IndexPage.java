package io.raftkv.profiling.report;

import io.raftkv.profiling.analysis.AreaShare;
import io.raftkv.profiling.analysis.Share;
import io.raftkv.profiling.jmc.AutomatedAnalysis;
import io.raftkv.profiling.jmc.RuleResult;
import io.raftkv.profiling.run.LoadResult;
import io.raftkv.profiling.run.ProfileRun;
import io.raftkv.profiling.run.RunLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code index.html}: the run's headline figures and a link to every file, readable from the file system without a server. */
final class IndexPage {
  private IndexPage() {}

  static String render(ProfileRun.Outcome o, String machine, List<RunReport.NodeReport> nodes, List<Figures.Change> changes) {
    RunLayout layout = o.layout();
    StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>raftkv profile ")
        .append(esc(layout.root().getFileName().toString())).append("</title>\n<style>")
        .append("body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}td:first-child,th:first-child{text-align:left}")
        .append("code{font-size:90%}</style></head><body>\n");
    h.append("<h1>raftkv profile: ").append(esc(o.settings().simulation())).append(", ").append(o.settings().users()).append(" users, ")
        .append(o.settings().duration().toSeconds()).append(" s, ").append(nodes.size()).append(" node(s)</h1>\n");
    h.append("<p>").append(esc(machine)).append("</p>\n");
    h.append("<p><a href=\"summary.md\">summary.md</a> (the full summary) &middot; <a href=\"summary.json\">summary.json</a></p>\n");

    h.append("<h2>Load</h2>\n<table><tr><th>phase</th><th>requests</th><th>failed</th><th>req/s</th><th>p50 ms</th><th>p99 ms</th><th>report</th></tr>\n");
    o.unrecorded().ifPresent(u -> row(h, layout, u));
    row(h, layout, o.recorded());
    for (LoadResult r : o.extraPhases()) row(h, layout, r);
    h.append("</table>\n");
    Double overhead = RunReport.overheadPct(o);
    if (overhead != null) h.append(String.format(Locale.ROOT, "<p>The profilers' cost: %.1f%% %s throughput while recording.</p>%n", Math.abs(overhead), overhead >= 0 ? "less" : "more"));

    h.append("<h2>Nodes</h2>\n");
    for (RunReport.NodeReport n : nodes) {
      int id = n.node().id();
      h.append("<h3>Node ").append(id).append("</h3>\n<p>Flame graphs: ");
      for (Map.Entry<String, Path> g : n.flameGraphs().entrySet()) h.append(link(layout, g.getValue(), g.getKey())).append(' ');
      h.append("<br>Collapsed stacks: ");
      for (String event : n.flameGraphs().keySet()) h.append(link(layout, layout.collapsed(id, event), event)).append(' ');
      h.append("<br>Recording: ").append(link(layout, layout.nodeJfr(id), "node-" + id + ".jfr"));
      if (Files.isRegularFile(layout.nodeLog(id))) h.append(" &middot; log: ").append(link(layout, layout.nodeLog(id), "node-" + id + ".log"));
      if (Files.isRegularFile(layout.perfStat(id))) h.append(" &middot; ").append(link(layout, layout.perfStat(id), "perf stat"));
      if (!n.diffs().isEmpty()) {
        h.append("<br>Against the baseline: ");
        for (Map.Entry<String, Path> d : n.diffs().entrySet()) h.append(link(layout, d.getValue(), d.getKey())).append(' ');
      }
      h.append("</p>\n<table><tr><th>area</th><th>of all CPU samples</th><th>of raftkv's own</th></tr>\n");
      for (AreaShare a : n.analysis().cpu().areas()) {
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.1f%%</td><td>%s</td></tr>%n", esc(a.area().label()), a.percent(),
            a.ownPercent() == null ? "" : String.format(Locale.ROOT, "%.1f%%", a.ownPercent())));
      }
      h.append("</table>\n<table><tr><th>hottest frames of raftkv's own samples (self)</th><th>samples</th></tr>\n");
      for (Share s : n.analysis().cpu().topSelfOwn()) {
        h.append(String.format(Locale.ROOT, "<tr><td><code>%s</code></td><td>%.1f%%</td></tr>%n", esc(s.name()), s.percent()));
      }
      h.append("</table>\n");
      rules(h, n.rules());
    }
    if (!changes.isEmpty()) {
      h.append("<h2>Change against the baseline</h2>\n<table><tr><th>figure</th><th>baseline</th><th>this run</th><th>change</th></tr>\n");
      for (Figures.Change c : changes) {
        h.append("<tr><td>").append(esc(c.name())).append("</td><td>").append(c.baseline() == null ? "" : String.format(Locale.ROOT, "%.2f", c.baseline()))
            .append("</td><td>").append(c.now() == null ? "" : String.format(Locale.ROOT, "%.2f", c.now())).append("</td><td>")
            .append(c.changePct() == null ? "" : String.format(Locale.ROOT, "%+.1f%%", c.changePct())).append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    if (!o.notes().isEmpty()) {
      h.append("<h2>Notes</h2><ul>\n");
      for (String n : o.notes()) h.append("<li>").append(esc(n)).append("</li>\n");
      h.append("</ul>\n");
    }
    return h.append("</body></html>\n").toString();
  }

  /** The rules of JMC's automated analysis that fired on one node's recording, and those without a result. */
  private static void rules(StringBuilder h, AutomatedAnalysis rules) {
    if (rules.error() != null) {
      h.append("<p>JDK Mission Control's automated analysis: not run, ").append(esc(rules.error())).append(".</p>\n");
      return;
    }
    h.append(String.format(Locale.ROOT, "<p>JDK Mission Control's automated analysis: %d of %d rules fired.</p>%n",
        rules.fired().size(), rules.rules()));
    if (!rules.fired().isEmpty()) {
      h.append("<table><tr><th>rule</th><th>level</th><th>score</th><th>finding</th></tr>\n");
      for (RuleResult r : rules.fired()) {
        h.append("<tr><td>").append(esc(r.name())).append("</td><td>").append(r.verdict().words())
            .append("</td><td>").append(r.score() == null ? "" : String.format(Locale.ROOT, "%.0f", r.score()))
            .append("</td><td style=\"text-align:left\">").append(esc(r.summary() == null ? "" : r.summary())).append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    for (RuleResult r : rules.failed()) {
      h.append("<p>").append(esc(r.id())).append(": ").append(esc(r.failure())).append("</p>\n");
    }
  }

  private static void row(StringBuilder h, RunLayout layout, LoadResult r) {
    h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%,d</td><td>%,.0f</td><td>%.1f</td><td>%.1f</td><td>%s</td></tr>%n",
        esc(r.phase()), r.requests(), r.failed(), r.throughputPerSec(), r.p50Ms(), r.p99Ms(),
        r.reportDir() == null ? "" : link(layout, r.reportDir().resolve("index.html"), "Gatling")));
  }

  private static String link(RunLayout layout, Path target, String text) {
    return "<a href=\"" + esc(layout.root().relativize(target.toAbsolutePath()).toString()) + "\">" + esc(text) + "</a>";
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
