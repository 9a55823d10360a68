package io.raftkv.cli;

import io.raftkv.client.RaftkvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code raftkv delete KEY}. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes KEY.",
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:deleted", "1:KEY was missing", "2:bad usage or input",
        "3:no answer in time (the delete may have taken effect)", "4:the cluster could not be reached", ExitCodes.DENIED_HELP})
final class DeleteCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "KEY") String key;

  @Override
  int run(RaftkvClient client) {
    if (!client.delete(key)) {
      return fail(ExitCodes.NO, "not found: " + key);
    }
    out().println("OK");
    return ExitCodes.OK;
  }
}
