package io.raftkv.profiling.cli;

import io.raftkv.cli.CliExtension;
import io.raftkv.cli.DurationConverter;
import io.raftkv.cli.ExitCodes;
import io.raftkv.profiling.bench.BenchReport;
import io.raftkv.profiling.bench.BenchRun;
import io.raftkv.profiling.bench.BenchSettings;
import io.raftkv.profiling.bench.RaftkvTarget;
import io.raftkv.profiling.bench.Workload;
import io.raftkv.profiling.bench.ToolMissingException;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code raftkv bench --vs etcd}: raftkv and etcd side by side, same machine, same load, same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measures raftkv against etcd on this machine, in one run.",
        "Starts a 3-node etcd (Debian's etcd-server, installed with apt-get when missing, as is wrk) and a 3-node raftkv,",
        "both on loopback with fresh data directories on the same disk and fsync on, pre-fills both with the same keys",
        "(--keys N of 16 bytes with values of --value-bytes B; 64 writers, a progress line every 5 s; etcd gets a backend quota",
        "and a request bound that take them), then drives each system's leader with wrk at that size, workload by workload,",
        "the two systems taking turns (with --one-at-a-time: all of raftkv's, then all of etcd's, each system running alone).",
        "A pre-fill the raftkv nodes' limits would refuse is refused before anything starts.",
        "Prints one table (throughput, p50, p99, the raftkv/etcd ratio, each node's resident memory) and the verdict on",
        "each target, writes it with the machine's description into docs/PERFORMANCE.md, and with --json the rows as JSON.",
        "A run of the default six workloads takes about 12 x (--warmup + --duration) plus a minute of start-up."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the table is written", "1:with --check: a target was missed", "2:bad usage, or etcd or wrk missing and not installable",
        "4:a system could not be started or reached"})
public final class BenchCommand implements Callable<Integer>, CliExtension {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--vs", required = true, paramLabel = "SYSTEM", description = "the system to measure against: etcd")
  String vs;

  @Option(names = {"-d", "--duration"}, defaultValue = "30s", converter = DurationConverter.class,
      description = "each measured run's length (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "10s", converter = WarmupConverter.class,
      description = "an unmeasured run of the same workload before each measured one; 0 for none (default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(names = "--workloads", paramLabel = "LIST", defaultValue = "put@1,put@16,put@64,get@1,get@64,mixed@64",
      description = "KIND@CONNECTIONS, comma-separated; kinds put, get (linearizable) and mixed (70%% put) (default: ${DEFAULT-VALUE})")
  String workloads;

  @Option(names = "--keys", paramLabel = "N", defaultValue = "10000",
      description = "pre-filled 16-byte keys the requests pick from, 1.." + BenchSettings.MAX_KEYS + " (default: ${DEFAULT-VALUE})")
  int keys;

  @Option(names = {"--value-bytes", "--value-size"}, paramLabel = "B", defaultValue = "100",
      description = "bytes per value, pre-filled and written, 1.." + BenchSettings.MAX_VALUE_BYTES + "; at most the raftkv nodes'"
          + " raftkv.kv.value-bytes-max, and N x (16 + B) at most their raftkv.kv.quota-bytes (default: ${DEFAULT-VALUE})")
  int valueBytes;

  @Option(names = "--one-at-a-time", description = "run one system at a time, raftkv then etcd, instead of both throughout:"
      + " for data that six nodes could not hold in this machine's memory at once (2,000,000 keys of 1 KiB)")
  boolean oneAtATime;

  @Option(names = "--secure", description = "also measure raftkv with TLS between its nodes, HTTPS and API tokens (as 'raftkv up --secure'"
      + " runs it), as a third system, raftkv-secure, on the cluster file's ports + " + BenchSettings.SECURE_PORT_OFFSET + " with TLS material"
      + " of its own; a second table sets it against plain raftkv")
  boolean secure;

  @Option(names = "--keep-data", description = "keep raftkv's data directory after the run, and print the 'raftkv up' command"
      + " that starts that cluster again (restart and catch-up at the pre-filled size)")
  boolean keepData;

  @Option(names = "--seed", defaultValue = "1", description = "seeds the value and wrk's choice of keys (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the rows as JSON: workload, system, throughput, p50_ms, p99_ms, rss_mb")
  Path json;

  @Option(names = "--doc", paramLabel = "FILE", defaultValue = "docs/PERFORMANCE.md",
      description = "the Markdown file whose bench section gets the table (default: ${DEFAULT-VALUE})")
  Path doc;

  @Option(names = "--no-doc", description = "leave the Markdown file alone")
  boolean noDoc;

  @Option(names = "--check", description = "exit 1 when a target is missed")
  boolean check;

  @Option(names = "--out", paramLabel = "DIR", description = "the run's directory: scripts, logs, bench.json (default: runs/bench-<yyyyMMdd-HHmmss>)")
  Path out;

  @Option(names = {"-f", "--cluster-file"}, defaultValue = "conf/cluster.conf",
      description = "the raftkv cluster layout; its first 3 members are started (default: ${DEFAULT-VALUE})")
  Path clusterFile;

  @Option(names = {"-c", "--config"}, defaultValue = "conf/application.conf", description = "the raftkv nodes' settings (default: ${DEFAULT-VALUE})")
  Path configFile;

  @Override
  public Integer call() {
    if (!"etcd".equals(vs)) {
      System.err.println("raftkv bench: --vs " + vs + ": only etcd is supported");
      return ExitCodes.USAGE;
    }
    Path root = (out != null ? out : Path.of("runs", "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))))
        .toAbsolutePath();
    BenchSettings settings;
    try {
      List<Workload> list = Workload.parseList(workloads);
      settings = new BenchSettings(list, duration, warmup, keys, valueBytes, seed, clusterFile, configFile, root, Optional.ofNullable(json),
          noDoc ? Optional.empty() : Optional.of(doc), commandLine(), oneAtATime, keepData, secure);
      settings.checkRaftkvTakes(raftkvSettings());
    } catch (IllegalArgumentException e) {
      System.err.println("raftkv bench: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    System.err.println("raftkv bench: writing " + root);
    BenchReport report;
    try {
      report = new BenchRun(settings, line -> System.err.println("raftkv bench: " + line)).run();
    } catch (ToolMissingException e) {
      System.err.println("raftkv bench: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (IOException e) {
      System.err.println("raftkv bench: " + e.getMessage());
      return ExitCodes.UNREACHABLE;
    }
    System.out.print(report.table());
    System.out.println();
    if (!report.secureTable().isEmpty()) {
      System.out.println(RaftkvTarget.SECURE + " (TLS and API tokens) against plain raftkv:");
      System.out.print(report.secureTable());
      System.out.println();
    }
    System.out.print(report.verdictList());
    settings.doc().ifPresent(d -> System.out.println("table written to " + d));
    settings.json().ifPresent(j -> System.out.println("rows written to " + j));
    boolean missed = report.verdicts().stream().anyMatch(v -> v.met().isPresent() && !v.met().get());
    return check && missed ? ExitCodes.NO : ExitCodes.OK;
  }

  /** The raftkv nodes' settings: the config file over the defaults (a missing file: the defaults, as the nodes see it). */
  private Config raftkvSettings() {
    Config reference = ConfigFactory.defaultReference();
    if (!Files.isRegularFile(configFile)) return reference;
    try {
      return ConfigFactory.parseFile(configFile.toFile()).withFallback(reference).resolve();
    } catch (com.typesafe.config.ConfigException e) {
      throw new IllegalArgumentException("--config " + configFile + ": " + e.getMessage(), e);
    }
  }

  /** The command as typed, for the doc: {@code raftkv bench} and the options given. */
  private String commandLine() {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    // The parse result may start at the top-level command: drop the subcommand's own name.
    int from = !args.isEmpty() && args.get(0).equals(spec.name()) ? 1 : 0;
    return "./raftkv bench " + String.join(" ", args.subList(from, args.size()));
  }
}
