package io.raftkv.profiling.run;

import io.raftkv.profiling.record.Asprof;
import io.raftkv.profiling.record.EventPlan;
import io.raftkv.profiling.record.JfrSettings;
import io.raftkv.profiling.record.NodeRecorder;
import io.raftkv.profiling.record.PerfStat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One profiling run, start to finish: the cluster (started or attached), an unrecorded load phase
 * (what the system does without profilers), the recorded phase (async-profiler and JFR on every
 * node, {@code perf stat} beside them), a phase per extra execution event, then the flame graphs
 * and the report. Every step is bounded: load phases by their duration, profiler calls by
 * {@link Asprof#CALL_TIMEOUT}, the cluster's start by {@link ProfiledCluster#LEADER_TIMEOUT}.
 */
public final class ProfileRun {
  private final ProfileSettings settings;
  private final RunLayout layout;
  private final Function<LoadTarget, LoadDriver> drivers;
  private final PrintStream err;
  private final List<String> notes = new ArrayList<>();
  private LoadDriver load; // set once the cluster's URLs are known

  /**
   * @param drivers makes the load driver for the gateways the run targets (and a secure cluster's credentials)
   * @param err where progress lines and notes go
   */
  public ProfileRun(ProfileSettings settings, RunLayout layout, Function<LoadTarget, LoadDriver> drivers, PrintStream err) {
    this.settings = settings;
    this.layout = layout;
    this.drivers = drivers;
    this.err = err;
  }

  /** Everything a run recorded, for the report. */
  public record Outcome(ProfileSettings settings, RunLayout layout, List<ProfiledCluster.Node> nodes, Optional<LoadResult> unrecorded,
                        LoadResult recorded, List<LoadResult> extraPhases, Map<Integer, PerfStat.Counters> perf,
                        List<String> recordedEvents, List<String> extraEvents, List<String> notes) {}

  public Outcome execute() throws IOException {
    Files.createDirectories(layout.root());
    Asprof asprof = Asprof.extract();
    Path jfc = JfrSettings.write(layout.settingsDir());
    ProfiledCluster cluster = settings.attach()
        ? ProfiledCluster.attach(settings.clusterFile(), settings.configFile(), settings.runDir())
        : ProfiledCluster.start(settings.clusterFile(), settings.configFile(), settings.nodes() == null ? clusterSize() : settings.nodes(),
            layout.clusterWork(), ProfiledCluster.NODE_JVM_OPTIONS, settings.secure(), 0, this::progress);
    try {
      List<ProfiledCluster.Node> nodes = cluster.nodes();
      progress((cluster.owned() ? "started " : "attached to ") + nodes.size() + " node(s); leader is node " + cluster.leader().map(String::valueOf).orElse("?"));
      load = drivers.apply(new LoadTarget(targetUrls(cluster), cluster.credentials()));
      if (!settings.warmup().isZero()) {
        progress("warm-up: " + settings.warmup().toSeconds() + " s of load, not measured (the JIT compiles the hot paths)");
        load.run("warmup", settings.warmup(), layout.gatling("warmup"), this::progress);
      }
      Optional<LoadResult> unrecorded = Optional.empty();
      if (settings.overheadPhase()) {
        progress("phase 1: load without profilers, " + settings.duration().toSeconds() + " s (to measure what recording costs)");
        unrecorded = Optional.of(load.run("unrecorded", settings.duration(), layout.gatling("unrecorded"), this::progress));
      }
      List<NodeRecorder> recorders = nodes.stream().map(n -> new NodeRecorder(asprof, n.id(), n.pid())).toList();
      List<String> recordedEvents = startMainSessions(recorders, jfc);
      Map<Integer, PerfStat> perf = startPerfStat(nodes);
      progress((settings.overheadPhase() ? "phase 2" : "phase 1") + ": load with " + String.join(", ", recordedEvents)
          + " and JFR on every node, " + settings.duration().toSeconds() + " s");
      LoadResult recorded;
      try {
        recorded = load.run("recorded", settings.duration(), layout.gatling("recorded"), this::progress);
      } finally {
        for (NodeRecorder r : recorders) check(r.stop(layout.nodeJfr(r.nodeId())), "stopping the recording on node " + r.nodeId());
      }
      Map<Integer, PerfStat.Counters> counters = new LinkedHashMap<>();
      for (Map.Entry<Integer, PerfStat> e : perf.entrySet()) counters.put(e.getKey(), e.getValue().finish(Duration.ofSeconds(30)));
      List<LoadResult> extras = new ArrayList<>();
      List<String> extraEvents = new ArrayList<>();
      for (String event : settings.events().extraExecutions()) {
        runExtraPhase(recorders, event).ifPresent(r -> {
          extras.add(r);
          extraEvents.add(event);
        });
      }
      if (cluster.owned()) {
        for (ProfiledCluster.Node n : nodes) Files.copy(cluster.logFile(n.id()), layout.nodeLog(n.id()), StandardCopyOption.REPLACE_EXISTING);
      }
      return new Outcome(settings, layout, nodes, unrecorded, recorded, extras, counters, recordedEvents, extraEvents, List.copyOf(notes));
    } finally {
      if (cluster.owned()) progress("stopping the cluster this run started");
      cluster.close();
    }
  }

  /**
   * Starts the main session on every node. An execution event this machine cannot sample (a hardware
   * counter in a VM) is noted and dropped, and the session starts with the rest.
   */
  private List<String> startMainSessions(List<NodeRecorder> recorders, Path jfc) throws IOException {
    EventPlan plan = settings.events();
    for (NodeRecorder r : recorders) Files.createDirectories(layout.nodeDir(r.nodeId()));
    Asprof.Result first = recorders.get(0).start(plan.mainSessionOptions(), layout.nodeJfr(recorders.get(0).nodeId()), jfc);
    if (!first.ok() && plan.execution().isPresent() && !plan.companions().isEmpty()) {
      note(plan.execution().get() + ": not available on this machine (" + first.error() + "); recording " + String.join(", ", plan.companions()) + " without it");
      plan = new EventPlan(Optional.empty(), plan.companions(), List.of());
      first = recorders.get(0).start(plan.mainSessionOptions(), layout.nodeJfr(recorders.get(0).nodeId()), jfc);
    }
    check(first, "starting the recording on node " + recorders.get(0).nodeId());
    for (NodeRecorder r : recorders.subList(1, recorders.size())) {
      Asprof.Result started = r.start(plan.mainSessionOptions(), layout.nodeJfr(r.nodeId()), jfc);
      if (!started.ok()) {
        for (NodeRecorder s : recorders) s.stop(layout.nodeJfr(s.nodeId()));
        check(started, "starting the recording on node " + r.nodeId());
      }
    }
    return plan.mainEvents();
  }

  /** One more load phase with {@code event} sampled on every node; empty (with a note) when it cannot be sampled here. */
  private Optional<LoadResult> runExtraPhase(List<NodeRecorder> recorders, String event) throws IOException {
    List<NodeRecorder> started = new ArrayList<>();
    for (NodeRecorder r : recorders) {
      Asprof.Result result = r.start(EventPlan.extraSessionOptions(event), layout.extraJfr(r.nodeId(), event), null);
      if (!result.ok()) {
        note(event + ": not available on this machine (" + result.error() + "); skipped");
        for (NodeRecorder s : started) s.stop(layout.extraJfr(s.nodeId(), event));
        return Optional.empty();
      }
      started.add(r);
    }
    progress("extra phase: load with " + event + " on every node, " + settings.duration().toSeconds() + " s");
    try {
      return Optional.of(load.run(event, settings.duration(), layout.gatling(event), this::progress));
    } finally {
      for (NodeRecorder r : started) check(r.stop(layout.extraJfr(r.nodeId(), event)), "stopping " + event + " on node " + r.nodeId());
    }
  }

  private Map<Integer, PerfStat> startPerfStat(List<ProfiledCluster.Node> nodes) {
    Map<Integer, PerfStat> started = new LinkedHashMap<>();
    for (ProfiledCluster.Node n : nodes) {
      StringBuilder why = new StringBuilder();
      Optional<PerfStat> p = PerfStat.start(n.pid(), settings.duration(), layout.perfStat(n.id()), why);
      if (p.isEmpty()) {
        note("perf stat: " + why);
        return Map.of();
      }
      started.put(n.id(), p.get());
    }
    return started;
  }

  private List<String> targetUrls(ProfiledCluster cluster) throws IOException {
    if (settings.target().equals("all")) return cluster.nodes().stream().map(ProfiledCluster.Node::httpUrl).toList();
    int leader = cluster.leader().orElseThrow(() -> new IOException("--target leader: the nodes do not agree on a leader"));
    return cluster.nodes().stream().filter(n -> n.id() == leader).map(ProfiledCluster.Node::httpUrl).toList();
  }

  private int clusterSize() {
    return io.raftkv.node.ClusterLayout.from(com.typesafe.config.ConfigFactory.parseFile(settings.clusterFile().toFile()).resolve()).members().size();
  }

  private static void check(Asprof.Result r, String what) throws IOException {
    if (!r.ok()) throw new IOException(what + " failed: " + r.error());
  }

  private void note(String line) {
    notes.add(line);
    err.println("note: " + line);
  }

  private void progress(String line) {
    err.println(line);
  }
}
