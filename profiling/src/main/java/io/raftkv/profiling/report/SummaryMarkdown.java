package io.raftkv.profiling.report;

import io.raftkv.profiling.analysis.Area;
import io.raftkv.profiling.analysis.AreaShare;
import io.raftkv.profiling.analysis.CpuReport;
import io.raftkv.profiling.analysis.Share;
import io.raftkv.profiling.run.LoadResult;
import io.raftkv.profiling.run.ProfileRun;
import io.raftkv.profiling.run.ProfileSettings;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code summary.md}: where the time went, for people; the same figures as {@code summary.json}. */
final class SummaryMarkdown {
  private SummaryMarkdown() {}

  static String render(ProfileRun.Outcome o, String machine, List<RunReport.NodeReport> nodes, List<Figures.Change> changes) {
    ProfileSettings s = o.settings();
    StringBuilder md = new StringBuilder();
    md.append("# raftkv profile: ").append(s.simulation()).append(", ").append(load(s)).append(", ")
        .append(nodes.size()).append(nodes.size() == 1 ? " node" : " nodes").append("\n\n");
    md.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
    md.append("- machine: ").append(machine).append('\n');
    md.append("- cluster: ").append(s.attach() ? "attached (started by `raftkv up`)" : "started for this run").append(", load on ")
        .append(s.target().equals("all") ? "every node's gateway" : "the leader's gateway").append('\n');
    md.append("- recorded: ").append(String.join(", ", o.recordedEvents())).append(" (async-profiler) and JFR on every node");
    if (!o.extraEvents().isEmpty()) md.append("; extra phases: ").append(String.join(", ", o.extraEvents()));
    md.append("\n\n");

    md.append("## Load (Gatling)\n\n");
    md.append("| phase | requests | failed | req/s | p50 ms | p95 ms | p99 ms | max ms |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    o.unrecorded().ifPresent(u -> loadRow(md, u));
    loadRow(md, o.recorded());
    for (LoadResult r : o.extraPhases()) loadRow(md, r);
    Double overhead = RunReport.overheadPct(o);
    if (overhead != null) {
      String order = s.warmup().isZero() ? "the unrecorded phase ran first, with no warm-up, so on less compiled code"
          : "both after a " + s.warmup().toSeconds() + " s warm-up, the unrecorded phase first";
      md.append(String.format(Locale.ROOT, "%nThe profilers' cost: the recorded phase served %.1f%% %s requests per second than the unrecorded one "
          + "(%,.0f against %,.0f req/s; %s).%n",
          Math.abs(overhead), overhead >= 0 ? "fewer" : "more", o.recorded().throughputPerSec(), o.unrecorded().get().throughputPerSec(), order));
    }
    if (!o.recorded().assertionsPassed()) md.append("\n**The simulation's assertions failed: requests failed (see the Gatling report).**\n");

    md.append("\n## Where the time goes\n\n");
    md.append("Each node's CPU samples: the JVM runtime's share of all samples (JIT compilation, GC, safepoints, the profilers' own work),"
        + " then each area's share of raftkv's own samples, all but the JVM runtime's (the mapping of frames to areas is in"
        + " docs/PROFILING.md).\n\n| node | samples | JVM runtime | raftkv's own |");
    for (Area a : Area.values()) if (a.raftkvOwn()) md.append(' ').append(a.label()).append(" |");
    md.append("\n| --- | ---: | ---: | ---: |");
    for (Area a : Area.values()) if (a.raftkvOwn()) md.append(" ---: |");
    md.append('\n');
    for (RunReport.NodeReport n : nodes) {
      CpuReport cpu = n.analysis().cpu();
      md.append("| ").append(n.node().id()).append(" | ").append(cpu.samples()).append(" |");
      for (AreaShare a : cpu.areas()) if (!a.area().raftkvOwn()) md.append(String.format(Locale.ROOT, " %.1f%% |", a.percent()));
      md.append(' ').append(cpu.ownSamples()).append(" |");
      for (AreaShare a : cpu.areas()) if (a.area().raftkvOwn()) md.append(String.format(Locale.ROOT, " %.1f%% |", a.ownPercent()));
      md.append('\n');
    }
    md.append("\nHottest frames by self samples among raftkv's own (share of those):\n\n");
    for (RunReport.NodeReport n : nodes) {
      List<Share> top = n.analysis().cpu().topSelfOwn();
      md.append("- node ").append(n.node().id()).append(": ");
      List<String> three = new ArrayList<>();
      for (Share sh : top.subList(0, Math.min(3, top.size()))) three.add(String.format(Locale.ROOT, "`%s` %.1f%%", sh.name(), sh.percent()));
      md.append(three.isEmpty() ? "no samples" : String.join(", ", three)).append('\n');
    }

    md.append("\n## JDK Mission Control's automated analysis\n\n");
    md.append("JMC's rules (its \"Automated Analysis Results\") on each node's recording; listed are those that fire: information"
        + " from a score of 25, warning from 75.\n\n");
    for (RunReport.NodeReport n : nodes) {
      md.append("Node ").append(n.node().id()).append(": ").append(n.rules().toMarkdown());
    }

    if (!o.perf().isEmpty()) {
      md.append("\n## perf stat (recorded phase)\n\n");
      List<String> unsupported = new ArrayList<>();
      md.append("| node | counter | value |\n| --- | --- | ---: |\n");
      o.perf().forEach((id, c) -> {
        if (c.failure() != null) md.append("| ").append(id).append(" | (").append(c.failure()).append(") | |\n");
        c.values().forEach((event, v) -> md.append("| ").append(id).append(" | ").append(event).append(" | ")
            .append(String.format(Locale.ROOT, "%,.0f", v)).append(" |\n"));
        for (String u : c.unsupported()) if (!unsupported.contains(u)) unsupported.add(u);
      });
      if (!unsupported.isEmpty()) {
        md.append("\nNot countable on this machine (no hardware counters): ").append(String.join(", ", unsupported)).append(".\n");
      }
    }
    if (!o.notes().isEmpty()) {
      md.append("\n## Notes\n\n");
      for (String n : o.notes()) md.append("- ").append(n).append('\n');
    }
    if (!changes.isEmpty()) {
      md.append("\n## Change against the baseline (").append(o.settings().baseline()).append(")\n\n");
      md.append("| figure | baseline | this run | change |\n| --- | ---: | ---: | ---: |\n");
      for (Figures.Change c : changes) {
        md.append("| ").append(c.name()).append(" | ").append(num(c.baseline())).append(" | ").append(num(c.now())).append(" | ")
            .append(c.changePct() == null ? "" : String.format(Locale.ROOT, "%+.1f%%", c.changePct())).append(" |\n");
      }
    }
    for (RunReport.NodeReport n : nodes) {
      md.append("\n").append(n.analysis().toMarkdown("Node " + n.node().id() + " (pid " + n.node().pid() + ")"));
    }
    md.append("\n## Files\n\n");
    md.append("- `index.html`: links to everything below\n- `gatling/`: the Gatling report of the recorded phase");
    if (o.unrecorded().isPresent()) md.append("; `gatling-unrecorded/`: of the unrecorded phase");
    md.append("\n- per node: `node-N/<event>.html` flame graphs, `node-N/<event>.collapsed` stacks, `node-N.jfr` (open it in JDK Mission Control,"
        + " or `raftkv jfr node-N.jfr`), `node-N.collapsed` (the ").append(o.recordedEvents().isEmpty() ? "" : o.recordedEvents().get(0))
        .append(" stacks)\n");
    if (!changes.isEmpty()) md.append("- `diff-node-N-<event>.html`: differential flame graphs against the baseline\n");
    return md.toString();
  }

  static Map<String, Object> settingsMap(ProfileSettings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("simulation", s.simulation());
    m.put("users", s.users());
    m.put("rate", s.rate());
    m.put("opsPerUser", s.opsPerUser());
    m.put("durationSeconds", s.duration().toMillis() / 1000.0);
    m.put("warmupSeconds", s.warmup().toMillis() / 1000.0);
    m.put("nodes", s.nodes());
    m.put("events", s.events().mainEvents());
    m.put("extraEvents", s.events().extraExecutions());
    m.put("attach", s.attach());
    m.put("target", s.target());
    m.put("keySpace", s.keySpace());
    m.put("valueSize", s.valueSize());
    m.put("baseline", s.baseline() == null ? null : s.baseline().toString());
    return m;
  }

  private static String load(ProfileSettings s) {
    String who = s.rate() != null ? String.format(Locale.ROOT, "%.1f users/s", s.rate()) : s.users() + " users";
    return who + (s.opsPerUser() != null ? " x " + s.opsPerUser() + " ops" : "") + ", " + s.duration().toSeconds() + " s";
  }

  private static void loadRow(StringBuilder md, LoadResult r) {
    md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,.0f | %.1f | %.1f | %.1f | %.1f |%n", r.phase(), r.requests(), r.failed(),
        r.throughputPerSec(), r.p50Ms(), r.p95Ms(), r.p99Ms(), r.maxMs()));
  }

  private static String num(Double v) {
    if (v == null) return "";
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
