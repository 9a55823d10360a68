package io.raftkv.cli;

import io.raftkv.client.Consistency;
import io.raftkv.client.RaftkvClient;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftkv get KEY [--serializable]}. */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Prints the value of KEY to stdout, raw (no newline added).",
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:found", "1:KEY is missing", "2:bad usage or input",
        "3:no answer in time", "4:the cluster could not be reached", ExitCodes.DENIED_HELP})
final class GetCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "KEY") String key;

  @Option(names = "--serializable",
      description = "read the answering node's state, which may lag, instead of a linearizable read")
  boolean serializable;

  @Override
  int run(RaftkvClient client) {
    Optional<byte[]> value = client.get(key, serializable ? Consistency.SERIALIZABLE : Consistency.LINEARIZABLE);
    if (value.isEmpty()) {
      return fail(ExitCodes.NO, "not found: " + key);
    }
    out().write(value.get(), 0, value.get().length);
    out().flush();
    return ExitCodes.OK;
  }
}
