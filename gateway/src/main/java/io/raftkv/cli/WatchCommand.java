package io.raftkv.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftkv.client.Bytes;
import io.raftkv.client.RaftkvClient;
import io.raftkv.client.Watch;
import io.raftkv.client.WatchEvent;
import io.raftkv.client.WatchListener;
import io.raftkv.http.TxnJson;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftkv watch (--key K | --prefix P) [--from-revision R] [--json]}. */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Prints every change of a key, or of the keys with a prefix, as it happens, until interrupted (Ctrl-C).",
        "One line per change: REVISION<TAB>put<TAB>KEY<TAB>VALUE or REVISION<TAB>delete<TAB>KEY (a value that is not printable"
            + " UTF-8 shows as base64:...); with --json, {\"type\":\"put\"|\"delete\",\"key\":...,\"value\":...,\"createRevision\":N,"
            + "\"modRevision\":N,\"version\":N} (\"valueBase64\" instead of \"value\" when it is not UTF-8).",
        "When the node it watches fails, it goes on from another node where it was: nothing missed, nothing twice."},
    exitCodeListHeading = "Exit codes (it runs until interrupted, or until --count changes):%n", exitCodeList = {
        "0:--count changes were printed", "2:bad usage or input",
        "9:history no longer holds the revision to watch from (compacted); read the keys and watch from that read's revision",
        ExitCodes.DENIED_HELP})
final class WatchCommand extends ClientCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--key", paramLabel = "K", description = "watch this key") String key;
    @Option(names = "--prefix", paramLabel = "P", description = "watch every key starting with P (\"\": every key)") String prefix;
  }

  @Option(names = "--from-revision", paramLabel = "R", defaultValue = "0",
      description = "start with the changes of revision R (default: the changes from now on)")
  long fromRevision;

  @Option(names = "--json", description = "print each change as a JSON object")
  boolean json;

  @Option(names = "--count", paramLabel = "N",
      description = "exit after N changes (for scripts that wait for a change: --key K --count 1)")
  Long count;

  @Override
  int run(RaftkvClient client) {
    if (fromRevision < 0) {
      return fail(ExitCodes.USAGE, "--from-revision must be >= 0: " + fromRevision);
    }
    if (count != null && count < 1) {
      return fail(ExitCodes.USAGE, "--count must be >= 1: " + count);
    }
    AtomicLong compacted = new AtomicLong(-1);
    AtomicLong left = new AtomicLong(count == null ? Long.MAX_VALUE : count);
    CountDownLatch finished = new CountDownLatch(1); // --count changes printed, or compacted
    WatchListener listener = new WatchListener() {
      @Override
      public void onRevision(long revision, List<WatchEvent> events) {
        for (WatchEvent e : events) {
          if (left.get() > 0) {
            out().println(json ? json(e) : line(e));
            if (left.decrementAndGet() == 0) {
              finished.countDown();
            }
          }
        }
        out().flush();
      }

      @Override
      public void onCompacted(long compactedRevision) {
        compacted.set(compactedRevision);
        finished.countDown();
      }

      @Override
      public void onReconnect(String reason) {
        err().println("raftkv watch: " + reason + "; going on from another node");
      }
    };
    Watch watch = target.key != null
        ? client.watchKey(target.key, fromRevision, listener)
        : client.watchPrefix(target.prefix, fromRevision, listener);
    try {
      finished.await(); // until --count changes were printed or history no longer holds the next revision; else until interrupted
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.OK;
    } finally {
      watch.close();
    }
    if (compacted.get() < 0) {
      return ExitCodes.OK;
    }
    return fail(ExitCodes.COMPACTED, "history is compacted up to revision " + compacted.get()
        + "; the watch's next revision, " + watch.nextRevision() + ", is gone");
  }

  private static String line(WatchEvent e) {
    return e.modRevision() + "\t" + (e.type() == WatchEvent.Type.PUT ? "put\t" + e.key() + "\t" + Bytes.show(e.value()) : "delete\t" + e.key());
  }

  static String json(WatchEvent e) {
    ObjectNode node = JSON.createObjectNode().put("type", e.type() == WatchEvent.Type.PUT ? "put" : "delete").put("key", e.key());
    if (e.value() != null) {
      TxnJson.putValue(node, e.value()); // as the HTTP API gives values: text, or base64 when not UTF-8
    }
    return node.put("createRevision", e.createRevision()).put("modRevision", e.modRevision()).put("version", e.version()).toString();
  }
}
