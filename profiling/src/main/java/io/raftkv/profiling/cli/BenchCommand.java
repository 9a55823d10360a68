package io.raftkv.profiling.cli;

import io.raftkv.cli.CliExtension;
import io.raftkv.cli.DurationConverter;
import io.raftkv.cli.ExitCodes;
import io.raftkv.profiling.bench.BenchReport;
import io.raftkv.profiling.bench.BenchRun;
import io.raftkv.profiling.bench.BenchSettings;
import io.raftkv.profiling.bench.Workload;
import io.raftkv.profiling.bench.ToolMissingException;
import java.io.IOException;
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
        "both on loopback with fresh data directories on the same disk and fsync on, pre-fills both with the same keys,",
        "then drives each system's leader with wrk, workload by workload, the two systems taking turns.",
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

  @Option(names = "--keys", defaultValue = "10000", description = "pre-filled 16-byte keys the requests pick from (default: ${DEFAULT-VALUE})")
  int keys;

  @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100", description = "bytes per value (default: ${DEFAULT-VALUE})")
  int valueSize;

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
      settings = new BenchSettings(list, duration, warmup, keys, valueSize, seed, clusterFile, configFile, root, Optional.ofNullable(json),
          noDoc ? Optional.empty() : Optional.of(doc), commandLine());
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
    System.out.print(report.verdictList());
    settings.doc().ifPresent(d -> System.out.println("table written to " + d));
    settings.json().ifPresent(j -> System.out.println("rows written to " + j));
    boolean missed = report.verdicts().stream().anyMatch(v -> v.met().isPresent() && !v.met().get());
    return check && missed ? ExitCodes.NO : ExitCodes.OK;
  }

  /** The command as typed, for the doc: {@code raftkv bench} and the options given. */
  private String commandLine() {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    // The parse result may start at the top-level command: drop the subcommand's own name.
    int from = !args.isEmpty() && args.get(0).equals(spec.name()) ? 1 : 0;
    return "./raftkv bench " + String.join(" ", args.subList(from, args.size()));
  }
}
