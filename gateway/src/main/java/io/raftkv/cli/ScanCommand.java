package io.raftkv.cli;

import io.raftkv.client.Bytes;
import io.raftkv.client.KvEntry;
import io.raftkv.client.RaftkvClient;
import io.raftkv.client.ScanResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftkv scan [--prefix P] [--limit N]}. */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = {"Lists the keys starting with the prefix, in order, one per line: KEY<TAB>VALUE.",
        "Reads as many pages as the nodes' byte bound on one answer needs, up to --limit entries.",
        "A value that is not printable UTF-8 text is shown as base64:<its base64>."},
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:listed (possibly none)", "2:bad usage or input",
        "3:no answer in time", "4:the cluster could not be reached", ExitCodes.DENIED_HELP})
final class ScanCommand extends ClientCommand {
  @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "the keys' prefix (default: all keys)")
  String prefix;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
      description = "list at most N entries (default: ${DEFAULT-VALUE})")
  int limit;

  @Override
  int run(RaftkvClient client) {
    if (limit < 1) {
      return fail(ExitCodes.USAGE, "--limit must be at least 1: " + limit);
    }
    // Page by page (a node's answer holds at most raftkv.kv.scan-bytes-max), printed as they come.
    int listed = 0;
    ScanResult page = client.scan(prefix, limit);
    while (true) {
      for (KvEntry e : page.entries()) {
        out().println(e.key() + "\t" + Bytes.show(e.value()));
      }
      out().flush();
      listed += page.entries().size();
      if (!page.truncated() || listed >= limit) {
        break;
      }
      page = client.scanAfter(prefix, page.entries().get(page.entries().size() - 1).key(), limit - listed);
    }
    if (page.truncated()) {
      err().println("raftkv scan: more keys follow; raise --limit (" + limit + ") to see them");
    }
    return ExitCodes.OK;
  }
}
