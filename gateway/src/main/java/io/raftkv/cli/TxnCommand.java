package io.raftkv.cli;

import io.raftkv.client.RaftkvClient;
import io.raftkv.client.TxnReply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code raftkv txn [FILE]}. */
@Command(name = "txn", mixinStandardHelpOptions = true,
    description = {"Applies a transaction: comparisons, then one list of operations or the other, atomically at one revision.",
        "Reads the JSON of POST /v1/txn (docs/API.md, \"Transactions\") from FILE, or stdin when FILE is - or missing,"
            + " and prints the answer as JSON: succeeded, revision, a result per operation."},
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:the comparisons held: the success operations were applied",
        "1:the comparisons did not hold: the failure operations were applied", "2:bad usage or input (a malformed transaction)",
        "3:no answer in time (the transaction may have taken effect)", "4:the cluster could not be reached",
        "5:refused: the cluster is over its space quota; nothing applied", ExitCodes.DENIED_HELP})
final class TxnCommand extends ClientCommand {
  /** A transaction's JSON is bounded by the largest one the nodes take; this bounds what is read from stdin. */
  private static final int JSON_BYTES_MAX = 64 << 20;

  @Parameters(index = "0", paramLabel = "FILE", arity = "0..1", description = "the transaction's JSON; - or none: stdin")
  String file;

  @Override
  int run(RaftkvClient client) {
    String json;
    try {
      json = read();
    } catch (IOException e) {
      return fail(ExitCodes.USAGE, "cannot read " + (file == null || file.equals("-") ? "stdin" : file) + ": " + e.getMessage());
    }
    if (json == null) {
      return fail(ExitCodes.USAGE, "the transaction is over " + JSON_BYTES_MAX + " bytes");
    }
    TxnReply reply = client.txn(json);
    out().println(reply.json());
    out().flush();
    return reply.succeeded() ? ExitCodes.OK : ExitCodes.NO;
  }

  /** The JSON, or null when it is longer than {@link #JSON_BYTES_MAX}. */
  private String read() throws IOException {
    try (InputStream in = file == null || file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
      byte[] bytes = in.readNBytes(JSON_BYTES_MAX + 1);
      return bytes.length > JSON_BYTES_MAX ? null : new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
