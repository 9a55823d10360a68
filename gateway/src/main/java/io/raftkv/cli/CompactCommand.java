package io.raftkv.cli;

import io.raftkv.client.RaftkvClient;
import io.raftkv.client.RaftkvRejectedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code raftkv compact REVISION}. */
@Command(name = "compact", mixinStandardHelpOptions = true,
    description = {"Drops history before REVISION on every node: reads at an older revision, and watches from one, are refused from then on.",
        "Nodes also compact by themselves beyond raftkv.kv.history-revisions-max and history-bytes-max. Needs the admin's token"
            + " when authentication is on."},
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:compacted", "2:bad usage, or REVISION is after the current revision",
        "3:no answer in time (it may have taken effect)", "4:the cluster could not be reached",
        "9:history is compacted at or past REVISION already", ExitCodes.DENIED_HELP})
final class CompactCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "REVISION") long revision;

  @Override
  int run(RaftkvClient client) {
    try {
      client.compact(revision);
    } catch (RaftkvRejectedException e) {
      if (e.status() == 410) {
        return fail(ExitCodes.COMPACTED, e.detail());
      }
      throw e;
    }
    out().println("OK");
    return ExitCodes.OK;
  }
}
