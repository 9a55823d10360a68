package io.raftkv.cli;

import io.raftkv.client.RaftkvClient;
import io.raftkv.stress.StressConfig;
import io.raftkv.stress.StressReport;
import io.raftkv.stress.StressRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftkv stress -f FILE -t THREADS -n OPS}: the seed's stress tester. */
@Command(name = "stress", mixinStandardHelpOptions = true,
    description = {"The stress tester: the put test (every thread writes key_<thread>_<op> = value_<1000..9999>),",
        "then the mixed test (70%% such puts, 30%% gets of key_<thread>_<op>), THREADS threads x OPS operations each,",
        "every thread with a session of its own. Prints each test's operations, elapsed time, throughput,",
        "p50/p99/p99.9 latency and errors to stdout, and a progress line every second to stderr.",
        "--timeout is each operation's deadline. --value-bytes B writes values of B bytes instead (the same values",
        "padded with dots; a node refuses values over its raftkv.kv.value-bytes-max with 413, counted as errors)."},
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:both tests ran (errors, if any, are in the summary)",
        "2:bad usage, or the history file cannot be written", "3:the --duration-max cap stopped the run early",
        "4:no operation succeeded: the cluster could not be reached", ExitCodes.DENIED_HELP + "; the run ends at the first"})
final class StressCommand extends ClientCommand {
  @Option(names = {"-t", "--threads"}, paramLabel = "THREADS", defaultValue = "4",
      description = "client threads, 1.." + StressConfig.THREADS_MAX + " (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = {"-n", "--ops"}, paramLabel = "OPS", defaultValue = "1000",
      description = "operations per thread in each test, 1.." + StressConfig.OPS_MAX + " (default: ${DEFAULT-VALUE})")
  int ops;

  @Option(names = "--history", paramLabel = "FILE",
      description = "record every operation as JSON lines, for 'raftkv check-history FILE'")
  Path history;

  @Option(names = "--seed", paramLabel = "N", description = "seeds the choices and values (default: random, printed)")
  Long seed;

  @Option(names = "--value-bytes", paramLabel = "B",
      description = "bytes per value, 1.." + StressConfig.VALUE_BYTES_MAX + ": value_<1000..9999> padded with dots to B bytes"
          + " (below 10, its last B characters) (default: value_<1000..9999>, 10 bytes)")
  Integer valueBytes;

  @Option(names = "--duration-max", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
      description = "start no operation after this long (default: ${DEFAULT-VALUE})")
  Duration durationMax;

  private long seed() {
    if (seed == null) {
      seed = new Random().nextLong();
    }
    return seed;
  }

  @Override
  RaftkvClient.Builder configure(RaftkvClient.Builder builder) {
    return builder.random(new Random(seed())); // the backoff jitter too
  }

  @Override
  int run(RaftkvClient client) {
    StressConfig config = new StressConfig(threads, ops, seed(), durationMax, Duration.ofSeconds(1), history,
        valueBytes == null ? OptionalInt.empty() : OptionalInt.of(valueBytes));
    StressReport report;
    try {
      report = new StressRunner(config, client, out(), err()).run();
    } catch (IOException e) {
      return fail(ExitCodes.USAGE, "cannot write the history " + history + ": " + e.getMessage());
    }
    if (report.ok() == 0 && report.errors() > 0) {
      return fail(ExitCodes.UNREACHABLE, "no operation succeeded: the cluster could not be reached");
    }
    if (report.stoppedEarly()) {
      return fail(ExitCodes.UNKNOWN, "stopped by the --duration-max cap of " + durationMax);
    }
    return ExitCodes.OK;
  }
}
