package io.raftkv.cli;

import io.raftkv.client.Bytes;
import io.raftkv.client.CasResult;
import io.raftkv.client.RaftkvClient;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftkv cas KEY NEW [--expected OLD | --expect-missing]}. */
@Command(name = "cas", mixinStandardHelpOptions = true,
    description = {"Compare-and-set: writes NEW (UTF-8) as the value of KEY if KEY holds OLD,",
        "or, with --expect-missing (the default), if KEY is missing."},
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:swapped",
        "1:KEY held something else (printed to stderr); nothing written", "2:bad usage or input",
        "3:no answer in time (the cas may have taken effect)", "4:the cluster could not be reached",
        "5:refused: the cluster is over its space quota (raftkv.kv.quota-bytes); nothing written", ExitCodes.DENIED_HELP})
final class CasCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "KEY") String key;
  @Parameters(index = "1", paramLabel = "NEW") String value;

  @ArgGroup(exclusive = true, multiplicity = "0..1") Expectation expectation;

  static final class Expectation {
    @Option(names = "--expected", paramLabel = "OLD", required = true, description = "the value KEY must hold")
    String expected;

    @Option(names = "--expect-missing", required = true, description = "KEY must be missing (the default)")
    boolean missing;
  }

  @Override
  int run(RaftkvClient client) {
    Optional<byte[]> expected = expectation == null || expectation.expected == null ? Optional.empty()
        : Optional.of(expectation.expected.getBytes(StandardCharsets.UTF_8));
    CasResult result = client.cas(key, expected, value.getBytes(StandardCharsets.UTF_8));
    if (result instanceof CasResult.Mismatch m) {
      return fail(ExitCodes.NO, m.current().map(v -> key + " holds " + Bytes.show(v)).orElse(key + " is missing")
          + "; nothing written");
    }
    out().println("OK");
    return ExitCodes.OK;
  }
}
