package io.raftkv.profiling.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.raftkv.profiling.analysis.JfrAnalyzer;
import io.raftkv.profiling.analysis.JfrReport;
import io.raftkv.profiling.jmc.AutomatedAnalysis;
import io.raftkv.profiling.jmc.JmcRules;
import io.raftkv.profiling.jmc.Verdict;
import io.raftkv.profiling.run.LoadResult;
import io.raftkv.profiling.run.ProfileRun;
import io.raftkv.profiling.run.ProfiledCluster;
import io.raftkv.profiling.run.RunLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what a run recorded into its report: flame graphs and collapsed stacks per node and event,
 * the analysis of every node's recording, differential graphs against a baseline, then
 * {@code summary.json}, {@code summary.md} and {@code index.html}.
 */
public final class RunReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).findAndRegisterModules();

  private RunReport() {}

  /** One node's part of the report. */
  public record NodeReport(ProfiledCluster.Node node, JfrReport analysis, AutomatedAnalysis rules, Map<String, Path> flameGraphs,
                           Map<String, Path> diffs) {}

  /** Writes the report of {@code outcome}; {@code progress} gets one line per step. */
  public static void write(ProfileRun.Outcome outcome, PrintStream progress) throws IOException {
    RunLayout layout = outcome.layout();
    List<NodeReport> nodes = new ArrayList<>();
    Path baseline = outcome.settings().baseline();
    for (ProfiledCluster.Node node : outcome.nodes()) {
      progress.println("node " + node.id() + ": flame graphs and analysis");
      Map<String, Path> graphs = new LinkedHashMap<>();
      Path jfr = layout.nodeJfr(node.id());
      for (String event : outcome.recordedEvents()) {
        graphs.put(event, graph(jfr, node.id(), event, layout, outcome));
      }
      if (!outcome.recordedEvents().isEmpty()) {
        Files.copy(layout.collapsed(node.id(), outcome.recordedEvents().get(0)), layout.nodeCollapsed(node.id()), StandardCopyOption.REPLACE_EXISTING);
      }
      for (String event : outcome.extraEvents()) {
        graphs.put(event, graph(layout.extraJfr(node.id(), event), node.id(), event, layout, outcome));
      }
      Map<String, Path> diffs = new LinkedHashMap<>();
      if (baseline != null) {
        RunLayout before = new RunLayout(baseline.toAbsolutePath());
        for (String event : outcome.recordedEvents()) {
          Path old = before.nodeJfr(node.id());
          if (!Files.isRegularFile(old)) continue;
          Path diff = layout.diff(node.id(), event);
          FlameGraphs.diff(old, jfr, event, diff, "node " + node.id() + " " + event + ": this run against " + baseline.getFileName());
          diffs.put(event, diff);
        }
      }
      JfrReport analysis = JfrAnalyzer.analyze(jfr, outcome.settings().topFrames());
      progress.println("node " + node.id() + ": JDK Mission Control's automated analysis");
      nodes.add(new NodeReport(node, analysis, JmcRules.analyze(jfr, JmcRules.DEFAULT_TIME_LIMIT), graphs, diffs));
    }
    Figures figures = figures(outcome, nodes);
    Map<String, Double> baselineFigures = baseline == null ? Map.of() : readFigures(baseline.resolve(RunLayout.SUMMARY_JSON));
    List<Figures.Change> changes = baseline == null ? List.of() : Figures.compare(baselineFigures, figures.asMap());

    String machine = Machine.describe();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("settings", SummaryMarkdown.settingsMap(outcome.settings()));
    json.put("machine", machine);
    json.put("figures", figures.asMap());
    json.put("load", loads(outcome));
    json.put("perfStat", outcome.perf());
    json.put("notes", outcome.notes());
    Map<String, Object> perNode = new LinkedHashMap<>();
    for (NodeReport n : nodes) perNode.put("node-" + n.node().id(), n.analysis());
    json.put("nodes", perNode);
    Map<String, Object> rules = new LinkedHashMap<>();
    for (NodeReport n : nodes) rules.put("node-" + n.node().id(), n.rules());
    json.put("automatedAnalysis", rules);
    JSON.writeValue(layout.summaryJson().toFile(), json);
    Files.writeString(layout.summaryMarkdown(), SummaryMarkdown.render(outcome, machine, nodes, changes), StandardCharsets.UTF_8);
    Files.writeString(layout.index(), IndexPage.render(outcome, machine, nodes, changes), StandardCharsets.UTF_8);
  }

  private static Path graph(Path jfr, int node, String event, RunLayout layout, ProfileRun.Outcome outcome) throws IOException {
    Path html = layout.flameGraph(node, event);
    FlameGraphs.html(jfr, event, html, "node " + node + " " + event + ": " + outcome.settings().simulation() + ", " + outcome.settings().users() + " users");
    FlameGraphs.collapsed(jfr, event, layout.collapsed(node, event));
    return html;
  }

  private static Map<String, LoadResult> loads(ProfileRun.Outcome o) {
    Map<String, LoadResult> m = new LinkedHashMap<>();
    o.unrecorded().ifPresent(u -> m.put(u.phase(), u));
    m.put(o.recorded().phase(), o.recorded());
    for (LoadResult r : o.extraPhases()) m.put(r.phase(), r);
    return m;
  }

  /** The profilers' cost: how much lower the recorded phase's throughput was, in percent of the unrecorded one's. */
  public static Double overheadPct(ProfileRun.Outcome o) {
    return o.unrecorded().filter(u -> u.throughputPerSec() > 0)
        .map(u -> 100.0 * (u.throughputPerSec() - o.recorded().throughputPerSec()) / u.throughputPerSec()).orElse(null);
  }

  static Figures figures(ProfileRun.Outcome o, List<NodeReport> nodes) {
    Figures f = new Figures();
    LoadResult r = o.recorded();
    f.put("load.throughput_rps", r.throughputPerSec());
    f.put("load.p50_ms", r.p50Ms());
    f.put("load.p95_ms", r.p95Ms());
    f.put("load.p99_ms", r.p99Ms());
    f.put("load.failed", r.failed());
    o.unrecorded().ifPresent(u -> f.put("load.unrecorded_throughput_rps", u.throughputPerSec()));
    Double overhead = overheadPct(o);
    if (overhead != null) f.put("profilers.overhead_pct", overhead);
    for (NodeReport n : nodes) {
      String p = "node-" + n.node().id() + ".";
      NodeFigures.add(f, p, n.analysis());
      f.put(p + "jmc.warnings", n.rules().count(Verdict.WARNING));
      f.put(p + "jmc.infos", n.rules().count(Verdict.INFO));
    }
    o.perf().forEach((id, counters) -> counters.values().forEach((event, value) -> f.put("node-" + id + ".perf." + event, value)));
    return f;
  }

  private static Map<String, Double> readFigures(Path summaryJson) throws IOException {
    JsonNode figures = JSON.readTree(summaryJson.toFile()).path("figures");
    Map<String, Double> m = new LinkedHashMap<>();
    figures.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
    return m;
  }
}
