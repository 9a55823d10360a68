package io.raftkv.cli;

import io.raftkv.client.Consistency;
import io.raftkv.client.RaftkvClient;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftkv get KEY [--serializable] [--revision N]}. */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Prints the value of KEY to stdout, raw (no newline added).",
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:found", "1:KEY is missing", "2:bad usage or input",
        "3:no answer in time", "4:the cluster could not be reached",
        "9:the revision asked for is compacted (history before it is gone)", ExitCodes.DENIED_HELP})
final class GetCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "KEY") String key;

  @Option(names = "--serializable",
      description = "read the answering node's state, which may lag, instead of a linearizable read")
  boolean serializable;

  @Option(names = "--revision", paramLabel = "N",
      description = "the value KEY had at revision N (every answer's Raftkv-Revision), while history keeps it")
  Long revision;

  @Override
  int run(RaftkvClient client) {
    Consistency consistency = serializable ? Consistency.SERIALIZABLE : Consistency.LINEARIZABLE;
    Optional<byte[]> value;
    try {
      value = revision == null ? client.get(key, consistency) : client.getAt(key, revision, consistency);
    } catch (io.raftkv.client.RaftkvRejectedException e) {
      if (e.status() == 410) {
        return fail(ExitCodes.COMPACTED, e.detail());
      }
      throw e;
    }
    if (value.isEmpty()) {
      return fail(ExitCodes.NO, "not found: " + key);
    }
    out().write(value.get(), 0, value.get().length);
    out().flush();
    return ExitCodes.OK;
  }
}
