package io.raftkv.cli;

import io.raftkv.client.RaftkvClient;
import io.raftkv.stress.CoordinationBench;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftkv bench-coordination --workload watch|txn}. */
@Command(name = "bench-coordination", mixinStandardHelpOptions = true,
    description = {"Measures the coordination features against a running cluster, for a bounded time (docs/PERFORMANCE.md).",
        "watch: WATCHERS watches of one prefix, each on its own connection, while WRITERS put keys under it: events delivered per",
        "second and the latency from a put's sending to each watcher's receipt. txn: CLIENTS move a value between two keys by transactions."},
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:measured", "2:bad usage", "3:no answer in time", "4:the cluster could not be reached",
        ExitCodes.DENIED_HELP})
final class BenchCoordinationCommand extends ClientCommand {
  @Option(names = "--workload", required = true, paramLabel = "watch|txn") String workload;
  @Option(names = "--watchers", defaultValue = "1", description = "watches open at once (default: ${DEFAULT-VALUE}; at most 10000)") int watchers;
  @Option(names = "--writers", defaultValue = "4", description = "threads writing, or moving by txn (default: ${DEFAULT-VALUE}; at most 256)") int writers;
  @Option(names = "--value-bytes", defaultValue = "100", description = "the values written (default: ${DEFAULT-VALUE})") int valueBytes;
  @Option(names = "--warm-up", defaultValue = "5s", converter = DurationConverter.class, description = "not measured (default: ${DEFAULT-VALUE})")
  Duration warmUp;
  @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class, description = "measured (default: ${DEFAULT-VALUE}; at most 10m)")
  Duration duration;

  @Override
  int run(RaftkvClient client) {
    if (watchers < 1 || watchers > 10_000 || writers < 1 || writers > 256 || valueBytes < 8 || valueBytes > 1536 * 1024
        || duration.compareTo(Duration.ofMinutes(10)) > 0 || duration.isZero() || warmUp.isNegative()) {
      return fail(ExitCodes.USAGE, "--watchers 1..10000, --writers 1..256, --value-bytes 8..1.5 MiB, --duration up to 10m");
    }
    try {
      if (workload.equals("watch")) {
        CoordinationBench.Result r = CoordinationBench.watch(client, watchers, writers, valueBytes, warmUp, duration,
            line -> err().println("raftkv bench-coordination: " + line));
        out().printf(Locale.ROOT, "watch: %d watchers, %d writers, %d-byte values, %.0f s measured%n", watchers, writers, valueBytes, r.seconds());
        out().printf(Locale.ROOT, "  writes %.0f/s, events delivered %.0f/s (%.0f/s per watcher), %d errors, %d reconnects%n",
            r.writesPerSecond(), r.eventsPerSecond(), r.eventsPerSecond() / watchers, r.errors(), r.reconnects());
        out().printf(Locale.ROOT, "  latency put sent -> event received: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
            r.latencyMicros().getValueAtPercentile(50) / 1000.0, r.latencyMicros().getValueAtPercentile(99) / 1000.0,
            r.latencyMicros().getMaxValue() / 1000.0);
      } else if (workload.equals("txn")) {
        CoordinationBench.Result r = CoordinationBench.txn(client, writers, warmUp, duration);
        out().printf(Locale.ROOT, "txn: %d clients, %.0f s measured: %.0f txns/s (%d succeeded, %d failed), %d errors;"
                + " latency p50 %.2f ms, p99 %.2f ms%n", writers, r.seconds(), r.txnsPerSecond(), r.txnsSucceeded(), r.txnsFailed(), r.errors(),
            r.latencyMicros().getValueAtPercentile(50) / 1000.0, r.latencyMicros().getValueAtPercentile(99) / 1000.0);
      } else {
        return fail(ExitCodes.USAGE, "--workload is watch or txn");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.UNKNOWN;
    }
    return ExitCodes.OK;
  }
}
