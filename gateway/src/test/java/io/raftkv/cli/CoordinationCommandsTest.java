package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftkv.http.OneNodeGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftkv txn}, {@code compact}, {@code get --revision}, {@code watch}, {@code lease} and
 * {@code lock} against a real one-node cluster: a transaction that moves a value, its answer and
 * exit codes, a past read until compacted, a watch printing the changes from a revision, as text
 * and as JSON, keys of a lease, and a command run under a lock with its fencing token.
 */
@Timeout(120)
class CoordinationCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aTransactionMovesAValueAndPastRevisionsReadUntilCompacted() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir.resolve("node"), "")) {
      String nodes = "http://127.0.0.1:" + node.port;
      assertEquals(ExitCodes.OK, CliRun.of("put", "from", "coins", "--nodes", nodes).code());
      Path move = dir.resolve("move.json");
      Files.writeString(move, """
          {"compare": [{"key": "to", "target": "version", "op": "=", "number": 0}],
           "success": [{"op": "put", "key": "to", "value": "coins"}, {"op": "delete", "key": "from"}],
           "failure": [{"op": "get", "key": "to"}]}
          """);

      CliRun moved = CliRun.of("txn", move.toString(), "--nodes", nodes);
      assertEquals(ExitCodes.OK, moved.code(), moved.toString());
      JsonNode answer = JSON.readTree(moved.out());
      assertTrue(answer.get("succeeded").asBoolean(), moved.out());
      long movedAt = answer.get("revision").asLong();
      assertEquals(ExitCodes.NO, CliRun.of("get", "from", "--nodes", nodes).code());
      assertEquals("coins", CliRun.of("get", "to", "--nodes", nodes).out());

      CliRun again = CliRun.of("txn", move.toString(), "--nodes", nodes);
      assertEquals(ExitCodes.NO, again.code(), "the comparison fails now: " + again);
      assertEquals("coins", JSON.readTree(again.out()).get("results").get(0).get("value").asText(), again.out());

      CliRun before = CliRun.of("get", "from", "--revision", Long.toString(movedAt - 1), "--nodes", nodes);
      assertEquals(ExitCodes.OK, before.code(), before.toString());
      assertEquals("coins", before.out());
      assertEquals(ExitCodes.OK, CliRun.of("compact", Long.toString(movedAt), "--nodes", nodes).code());
      CliRun gone = CliRun.of("get", "from", "--revision", Long.toString(movedAt - 1), "--nodes", nodes);
      assertEquals(ExitCodes.COMPACTED, gone.code(), gone.toString());
      assertTrue(gone.err().contains("is compacted"), gone.err());
      assertEquals(ExitCodes.COMPACTED, CliRun.of("compact", Long.toString(movedAt), "--nodes", nodes).code());

      CliRun gapped = CliRun.of("watch", "--prefix", "", "--from-revision", "1", "--nodes", nodes);
      assertEquals(ExitCodes.COMPACTED, gapped.code(), gapped.toString());
      assertTrue(gapped.err().contains("history is compacted up to revision " + movedAt), gapped.err());

      // Changes after the compacted revision: a put (not UTF-8: base64) and a delete, as text and as JSON.
      long put = node.call("PUT", "/v1/kv/w%2Fa", "x").headers().firstValue("Raftkv-Revision").map(Long::parseLong).orElseThrow();
      node.call("DELETE", "/v1/kv/w%2Fa", null);
      CliRun text = CliRun.of("watch", "--prefix", "w/", "--from-revision", Long.toString(put), "--count", "2", "--nodes", nodes);
      assertEquals(ExitCodes.OK, text.code(), text.toString());
      assertEquals(put + "\tput\tw/a\tx\n" + (put + 1) + "\tdelete\tw/a\n", text.out());
      CliRun json = CliRun.of("watch", "--key", "w/a", "--from-revision", Long.toString(put), "--count", "2", "--json", "--nodes", nodes);
      String[] lines = json.out().split("\n");
      assertEquals("{\"type\":\"put\",\"key\":\"w/a\",\"value\":\"x\",\"createRevision\":" + put + ",\"modRevision\":" + put
          + ",\"version\":1}", lines[0]);
      assertEquals("{\"type\":\"delete\",\"key\":\"w/a\",\"createRevision\":0,\"modRevision\":" + (put + 1) + ",\"version\":0}",
          lines[1]);
      assertEquals(ExitCodes.USAGE, CliRun.of("watch", "--key", "a", "--prefix", "b", "--nodes", nodes).code());

      Files.writeString(move, "{\"success\": [{\"op\": \"put\", \"key\": \"k\"}]}");
      CliRun bad = CliRun.of("txn", move.toString(), "--nodes", nodes);
      assertEquals(ExitCodes.USAGE, bad.code(), bad.toString());
      assertTrue(bad.err().contains("either \"value\""), bad.err());
    }
  }

  @Test
  void leasesAndACommandRunUnderALock() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir.resolve("node"), "")) {
      String nodes = "http://127.0.0.1:" + node.port;
      CliRun grant = CliRun.of("lease", "grant", "30s", "--nodes", nodes);
      assertEquals(ExitCodes.OK, grant.code(), grant.toString());
      String lease = grant.out().strip();
      assertEquals(ExitCodes.OK, CliRun.of("put", "session/a", "here", "--lease", lease, "--nodes", nodes).code());
      CliRun kept = CliRun.of("lease", "keep-alive", lease, "--once", "--nodes", nodes);
      assertEquals("lease " + lease + " kept alive for 30 s\n", kept.out());
      assertEquals(ExitCodes.OK, CliRun.of("lease", "revoke", lease, "--nodes", nodes).code());
      assertEquals(ExitCodes.NO, CliRun.of("get", "session/a", "--nodes", nodes).code(), "deleted with its lease");
      assertEquals(ExitCodes.NO, CliRun.of("lease", "revoke", lease, "--nodes", nodes).code(), "gone already");
      CliRun gone = CliRun.of("put", "session/b", "x", "--lease", lease, "--nodes", nodes);
      assertEquals(ExitCodes.NO, gone.code(), gone.toString());
      assertTrue(gone.err().contains("lease " + lease + " is gone"), gone.err());
      assertEquals(ExitCodes.USAGE, CliRun.of("lease", "grant", "1s", "--nodes", nodes).code(), "below 2 s");

      // The command sees the token, its exit code is the lock's, and the lock is released after.
      Path token = dir.resolve("token");
      CliRun locked = CliRun.of("lock", "job", "--ttl", "5s", "--nodes", nodes, "--",
          "sh", "-c", "echo $RAFTKV_FENCING_TOKEN $RAFTKV_LOCK_KEY > " + token + "; exit 3");
      assertEquals(3, locked.code(), locked.toString());
      String[] seen = Files.readString(token).strip().split(" ");
      assertEquals("lock/job", seen[1]);
      long first = Long.parseLong(seen[0]);
      CliRun again = CliRun.of("lock", "job", "--nodes", nodes, "--", "sh", "-c", "echo $RAFTKV_FENCING_TOKEN > " + token);
      assertEquals(ExitCodes.OK, again.code(), "released, so taken again at once: " + again);
      assertTrue(Long.parseLong(Files.readString(token).strip()) > first, "the token grows");
      assertEquals(ExitCodes.NO, CliRun.of("get", "lock/job", "--nodes", nodes).code(), "released");
    }
  }

  @Test
  void theCoordinationBenchMeasuresWatchesAndTransactions() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir.resolve("node"), "")) {
      String nodes = "http://127.0.0.1:" + node.port;
      CliRun watch = CliRun.of("bench-coordination", "--workload", "watch", "--watchers", "3", "--writers", "2", "--warm-up", "1ms",
          "--duration", "2s", "--nodes", nodes);
      assertEquals(ExitCodes.OK, watch.code(), watch.toString());
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("writes (\\d+)/s, events delivered (\\d+)/s").matcher(watch.out());
      assertTrue(m.find(), watch.out());
      long writes = Long.parseLong(m.group(1));
      assertTrue(writes > 0, watch.out());
      assertEquals(3 * writes, Long.parseLong(m.group(2)), 3 * writes / 10.0 + 1, "every watcher gets every write: " + watch.out());
      CliRun txn = CliRun.of("bench-coordination", "--workload", "txn", "--writers", "2", "--warm-up", "1ms", "--duration", "2s", "--nodes", nodes);
      assertEquals(ExitCodes.OK, txn.code(), txn.toString());
      assertTrue(txn.out().matches("(?s)txn: 2 clients, 2 s measured: \\d+ txns/s \\(\\d+ succeeded, 0 failed\\), 0 errors.*"), txn.out());
      assertEquals(ExitCodes.USAGE, CliRun.of("bench-coordination", "--workload", "watch", "--watchers", "0", "--nodes", nodes).code());
    }
  }
}
