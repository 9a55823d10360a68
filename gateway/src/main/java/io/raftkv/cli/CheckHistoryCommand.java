package io.raftkv.cli;

import io.raftkv.check.CheckHistoryMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftkv check-history FILE}: the linearizability checker on a recorded history. */
@Command(
    name = "check-history",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that the key-value history in FILE is linearizable.",
      "FILE holds one JSON event per line in real-time order, e.g.",
      "  {\"process\": 3, \"type\": \"invoke\", \"f\": \"put\", \"key\": \"k1\", \"value\": \"v7\", \"time\": 12345678}",
      "type: invoke, ok, fail (no effect) or info (outcome unknown); f: get, put, append, delete, cas."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:linearizable", "1:not linearizable (the smallest failing key's history is printed)",
        "2:bad usage or input", "3:unknown (the time bound ran out)"})
final class CheckHistoryCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "the history, JSON lines")
  String file;

  @Option(names = "--timeout-seconds", paramLabel = "N", defaultValue = "60",
      description = "give up after N seconds and answer unknown (default: ${DEFAULT-VALUE})")
  String timeoutSeconds;

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>(List.of(file, "--timeout-seconds", timeoutSeconds));
    return CheckHistoryMain.run(args.toArray(String[]::new), System.out, System.err);
  }
}
