package io.raftkv.cli;

import io.raftkv.client.RaftkvClient;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code raftkv put KEY VALUE}. */
@Command(name = "put", mixinStandardHelpOptions = true, description = "Writes VALUE (UTF-8) as the value of KEY.",
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:written", "2:bad usage or input",
        "3:no answer in time (the write may have taken effect)", "4:the cluster could not be reached",
        "5:refused: the cluster is over its space quota (raftkv.kv.quota-bytes); nothing written", ExitCodes.DENIED_HELP})
final class PutCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "KEY") String key;
  @Parameters(index = "1", paramLabel = "VALUE") String value;

  @Override
  int run(RaftkvClient client) {
    client.put(key, value.getBytes(StandardCharsets.UTF_8));
    out().println("OK");
    return ExitCodes.OK;
  }
}
