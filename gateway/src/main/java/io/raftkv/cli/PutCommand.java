package io.raftkv.cli;

import io.raftkv.client.RaftkvClient;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code raftkv put KEY VALUE [--lease ID]}. */
@Command(name = "put", mixinStandardHelpOptions = true, description = "Writes VALUE (UTF-8) as the value of KEY.",
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:written", "1:the lease given is gone (ran out or revoked); nothing written", "2:bad usage or input",
        "3:no answer in time (the write may have taken effect)", "4:the cluster could not be reached",
        "5:refused: the cluster is over its space quota (raftkv.kv.quota-bytes); nothing written", ExitCodes.DENIED_HELP})
final class PutCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "KEY") String key;
  @Parameters(index = "1", paramLabel = "VALUE") String value;
  @picocli.CommandLine.Option(names = "--lease", paramLabel = "ID",
      description = "attach the key to lease ID ('raftkv lease grant'): it is deleted when the lease ends") Long lease;

  @Override
  int run(RaftkvClient client) {
    if (lease == null) {
      client.put(key, value.getBytes(StandardCharsets.UTF_8));
    } else {
      try {
        client.put(key, value.getBytes(StandardCharsets.UTF_8), lease);
      } catch (io.raftkv.client.RaftkvRejectedException e) {
        if (e.status() == 404) {
          return fail(ExitCodes.NO, "lease " + lease + " is gone: it ran out or was revoked; nothing written");
        }
        throw e;
      }
    }
    out().println("OK");
    return ExitCodes.OK;
  }
}
