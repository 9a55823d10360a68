package io.raftkv.profiling.cli;

import io.raftkv.cli.CliExtension;
import io.raftkv.cli.DurationConverter;
import io.raftkv.cli.ExitCodes;
import io.raftkv.profiling.record.EventPlan;
import io.raftkv.profiling.run.ClusterUnreachableException;
import io.raftkv.profiling.run.GatlingDriver;
import io.raftkv.profiling.run.ProfileRun;
import io.raftkv.profiling.run.ProfileSettings;
import io.raftkv.profiling.run.RunLayout;
import io.raftkv.profiling.report.RunReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftkv profile}: load, record every node, and write the report, in one command. */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Profiles the cluster under load and writes a report of where the time goes.",
        "Drives the cluster's HTTP gateways with a Gatling simulation while async-profiler and JDK Flight",
        "Recorder record every node, then writes runs/<yyyyMMdd-HHmmss>/: per node an HTML flame graph per event,",
        "the collapsed stacks and the .jfr; the Gatling report; summary.md (where the time goes) and index.html.",
        "Without --attach it starts a cluster of its own from the cluster file (fresh data, stopped at the end);",
        "--nodes 1 profiles a single node first, as the seed advises. By default an unrecorded phase runs first,",
        "so the report can state what recording costs. See docs/PROFILING.md for how to read the report."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the report is written", "1:the report is written, but the simulation's assertions failed (requests failed)",
        "2:bad usage or configuration, or a profiler could not attach", "4:the cluster could not be started or reached"})
public final class ProfileCommand implements Callable<Integer>, CliExtension {
  @Option(names = "--sim", defaultValue = "mixed", description = "put, mixed (70%% put, 30%% get), read-heavy or stress (default: ${DEFAULT-VALUE})")
  String simulation;

  @Option(names = {"-u", "--users"}, defaultValue = "64", description = "concurrent users, each one connection (default: ${DEFAULT-VALUE})")
  int users;

  @Option(names = "--rate", paramLabel = "USERS/S", description = "open model: users arriving per second instead of --users concurrent ones")
  Double rate;

  @Option(names = "--ops", paramLabel = "N", description = "operations per user (default: as many as fit in --duration)")
  Integer ops;

  @Option(names = {"-d", "--duration"}, defaultValue = "60s", converter = DurationConverter.class,
      description = "each load phase's length (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--nodes", paramLabel = "N", description = "start a cluster of the first N members of the cluster file (default: all)")
  Integer nodes;

  @Option(names = "--events", split = ",", paramLabel = "EVENT", defaultValue = "cpu,alloc,lock,wall",
      description = {"async-profiler events (default: ${DEFAULT-VALUE}); any event 'asprof list' names, e.g. page-faults,",
          "cache-misses, branch-misses. cpu and one of alloc/lock/wall share a phase; each further execution event adds a phase"})
  List<String> events;

  @Option(names = "--attach", description = "record the cluster that 'raftkv up' runs instead of starting one (one that 'raftkv up --secure'"
      + " started: over HTTPS, with the admin token it made)")
  boolean attach;

  @Option(names = "--secure", description = "start the cluster with TLS between its nodes, HTTPS and API tokens, as 'raftkv up --secure' does,"
      + " with TLS material of the run's own; the load carries the admin token")
  boolean secure;

  @Option(names = "--baseline", paramLabel = "RUN", description = "an earlier run (runs/<ts>): adds differential flame graphs and the change of each figure")
  Path baseline;

  @Option(names = "--out", paramLabel = "DIR", description = "the run's directory (default: runs/<yyyyMMdd-HHmmss>)")
  Path out;

  @Option(names = "--target", defaultValue = "all", description = "all: spread the load over every node's gateway; leader: the leader's only (default: ${DEFAULT-VALUE})")
  String target;

  @Option(names = "--keys", defaultValue = "10000", description = "key space of read-heavy (default: ${DEFAULT-VALUE})")
  int keys;

  @Option(names = "--value-size", paramLabel = "BYTES", description = "values of this many bytes instead of the seed's value_NNNN")
  Integer valueSize;

  @Option(names = "--top", defaultValue = "15", description = "hottest frames listed per node (default: ${DEFAULT-VALUE})")
  int top;

  @Option(names = "--overhead", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "run an unrecorded phase first to measure the profilers' cost (default: on; --no-overhead skips it)")
  boolean overhead;

  @Option(names = "--warmup", defaultValue = "10s", converter = WarmupConverter.class,
      description = "unmeasured load before the first phase, so both phases run on compiled code; 0 for none (default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(names = {"-f", "--cluster-file"}, defaultValue = "conf/cluster.conf", description = "the cluster layout (default: ${DEFAULT-VALUE})")
  Path clusterFile;

  @Option(names = {"-c", "--config"}, defaultValue = "conf/application.conf", description = "the nodes' settings (default: ${DEFAULT-VALUE})")
  Path configFile;

  @Option(names = "--run-dir", defaultValue = "run", description = "with --attach: the pid files of 'raftkv up' (default: ${DEFAULT-VALUE})")
  Path runDir;

  @Override
  public Integer call() {
    ProfileSettings settings;
    try {
      settings = new ProfileSettings(simulation, users, rate, ops, duration, nodes, EventPlan.of(events), attach, baseline, out,
          clusterFile, configFile, runDir, target, keys, valueSize, top, overhead, warmup, secure);
    } catch (IllegalArgumentException e) {
      System.err.println("raftkv profile: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Path root = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    RunLayout layout = new RunLayout(root.toAbsolutePath());
    System.err.println("raftkv profile: writing " + layout.root());
    ProfileRun.Outcome outcome;
    try {
      outcome = new ProfileRun(settings, layout, target -> GatlingDriver.of(settings, target), System.err).execute();
    } catch (ClusterUnreachableException e) {
      System.err.println("raftkv profile: " + e.getMessage());
      return ExitCodes.UNREACHABLE;
    } catch (IOException e) {
      System.err.println("raftkv profile: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    try {
      RunReport.write(outcome, System.err);
    } catch (IOException e) {
      System.err.println("raftkv profile: writing the report failed: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    System.out.println("report: " + layout.index());
    System.out.println("summary: " + layout.summaryMarkdown());
    return outcome.recorded().assertionsPassed() ? ExitCodes.OK : ExitCodes.NO;
  }
}
