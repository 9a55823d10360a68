package io.raftkv.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revisions, reads at a revision, compaction and transactions through the HTTP API of a real
 * one-node cluster, with a transaction that moves a value at the default limit (1.5 MiB, sent as
 * base64 in JSON) from one key to another.
 */
@Timeout(120)
class HttpRevisionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VALUE_BYTES_MAX = 1536 * 1024;

  @TempDir Path dir;

  private static long revision(HttpResponse<?> response) {
    return Long.parseLong(response.headers().firstValue(HttpGateway.REVISION).orElseThrow(
        () -> new AssertionError("no " + HttpGateway.REVISION + " on " + response.statusCode() + " " + response.body())));
  }

  @Test
  void everyAnswerSaysItsRevisionAndPastRevisionsReadTheValuesThen() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir, "")) {
      HttpResponse<String> first = node.call("PUT", "/v1/kv/k", "one");
      assertEquals(204, first.statusCode());
      long r1 = revision(first);
      HttpResponse<String> second = node.call("PUT", "/v1/kv/k", "two");
      long r2 = revision(second);
      assertTrue(r2 > r1, r1 + " then " + r2);

      HttpResponse<String> now = node.call("GET", "/v1/kv/k", null);
      assertEquals("two", now.body());
      assertTrue(revision(now) >= r2);
      assertEquals(String.valueOf(r1), now.headers().firstValue("Raftkv-Create-Revision").orElseThrow());
      assertEquals(String.valueOf(r2), now.headers().firstValue("Raftkv-Mod-Revision").orElseThrow());
      assertEquals("2", now.headers().firstValue("Raftkv-Version").orElseThrow());
      assertEquals("one", node.call("GET", "/v1/kv/k?revision=" + r1, null).body());
      assertEquals("one", node.call("GET", "/v1/kv/k?revision=" + r1 + "&consistency=serializable", null).body());
      HttpResponse<String> missing = node.call("GET", "/v1/kv/k?revision=" + (r1 - 1), null);
      assertEquals(404, missing.statusCode(), "before it was written");
      revision(missing);
      assertEquals(400, node.call("GET", "/v1/kv/k?revision=" + (r2 + 1000), null).statusCode(), "a future revision");
      assertEquals(400, node.call("GET", "/v1/kv/k?revision=x", null).statusCode());

      JsonNode scan = JSON.readTree(node.call("GET", "/v1/kv?prefix=k&revision=" + r1, null).body());
      assertEquals(r1, scan.get("entries").get(0).get("modRevision").asLong(), scan.toString());
      assertEquals(1, scan.get("entries").get(0).get("version").asLong(), scan.toString());

      HttpResponse<String> compact = node.call("POST", "/v1/compact?revision=" + r2, null);
      assertEquals(204, compact.statusCode(), compact.body());
      HttpResponse<String> gone = node.call("GET", "/v1/kv/k?revision=" + r1, null);
      assertEquals(410, gone.statusCode());
      assertEquals(r2, JSON.readTree(gone.body()).get("compactedRevision").asLong(), gone.body());
      assertEquals(410, node.call("POST", "/v1/compact?revision=" + r1, null).statusCode(), "compacted already");
      assertEquals(400, node.call("POST", "/v1/compact", null).statusCode());
      assertEquals("two", node.call("GET", "/v1/kv/k?revision=" + r2, null).body(), "the compacted revision itself stays");
    }
  }

  @Test
  void aTransactionMovesAValueAtTheLimitAtomicallyAndAnswersPerOperation() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir, "")) {
      byte[] big = new byte[VALUE_BYTES_MAX];
      Arrays.fill(big, (byte) 0xfe); // not UTF-8: goes and comes back as base64
      ObjectNode put = JSON.createObjectNode();
      put.putArray("success").addObject().put("op", "put").put("key", "from").put("valueBase64", Base64.getEncoder().encodeToString(big));
      HttpResponse<String> created = node.call("POST", "/v1/txn", put.toString());
      assertEquals(200, created.statusCode(), created.body());
      long createdAt = JSON.readTree(created.body()).get("revision").asLong();
      assertEquals(createdAt, revision(created));

      ObjectNode move = JSON.createObjectNode();
      ArrayNode compare = move.putArray("compare");
      compare.addObject().put("key", "from").put("target", "mod").put("op", "=").put("number", createdAt);
      compare.addObject().put("key", "to").put("target", "version").put("op", "=").put("number", 0);
      ArrayNode success = move.putArray("success");
      success.addObject().put("op", "put").put("key", "to").put("valueBase64", Base64.getEncoder().encodeToString(big));
      success.addObject().put("op", "delete").put("key", "from");
      ArrayNode failure = move.putArray("failure");
      failure.addObject().put("op", "get").put("key", "to");
      HttpResponse<String> moved = node.call("POST", "/v1/txn", move.toString());
      assertEquals(200, moved.statusCode(), moved.body());
      JsonNode answer = JSON.readTree(moved.body());
      assertTrue(answer.get("succeeded").asBoolean(), answer.toString());
      assertEquals("put", answer.get("results").get(0).get("op").asText());
      assertTrue(answer.get("results").get(1).get("deleted").asBoolean());
      long movedAt = answer.get("revision").asLong();

      assertEquals(404, node.call("GET", "/v1/kv/from", null).statusCode());
      HttpResponse<String> to = node.call("GET", "/v1/kv/to", null);
      assertEquals(200, to.statusCode());
      assertEquals(String.valueOf(movedAt), to.headers().firstValue("Raftkv-Mod-Revision").orElseThrow());
      assertEquals(200, node.call("GET", "/v1/kv/from?revision=" + createdAt, null).statusCode(), "before the move");

      // Again: the comparisons fail, the failure branch reads the moved value whole.
      JsonNode again = JSON.readTree(node.call("POST", "/v1/txn", move.toString()).body());
      assertFalse(again.get("succeeded").asBoolean());
      JsonNode read = again.get("results").get(0);
      assertTrue(read.get("found").asBoolean());
      assertTrue(Arrays.equals(big, Base64.getDecoder().decode(read.get("valueBase64").asText())));
      assertEquals(movedAt, read.get("modRevision").asLong());
    }
  }

  @Test
  void badTransactionsAreRefusedWithAReason() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir, "")) {
      assertRefused(node, "not json", 400, "not JSON");
      assertRefused(node, "[]", 400, "a JSON object");
      assertRefused(node, "{\"succes\": []}", 400, "unknown field \\\"succes\\\"");
      assertRefused(node, "{\"success\": [{\"op\": \"put\", \"key\": \"k\"}]}", 400, "either \\\"value\\\"");
      assertRefused(node, "{\"success\": [{\"op\": \"put\", \"key\": \"k\", \"value\": \"a\"}, {\"op\": \"delete\", \"key\": \"k\"}]}", 400,
          "writes key 'k' twice");
      assertRefused(node, "{\"compare\": [{\"key\": \"k\", \"target\": \"version\", \"op\": \"~\", \"number\": 1}]}", 400, "=, !=, <, >");
      // Three values at the limit: more than the largest command (a cas's two values).
      ObjectNode three = JSON.createObjectNode();
      ArrayNode ops = three.putArray("success");
      String big = "v".repeat(VALUE_BYTES_MAX);
      for (String key : new String[] {"a", "b", "c"}) {
        ops.addObject().put("op", "put").put("key", key).put("value", big);
      }
      assertRefused(node, three.toString(), 413, "over txnBytesMax");
      assertEquals(404, node.call("GET", "/v1/kv/a", null).statusCode(), "nothing of it applied");
    }
  }

  private static void assertRefused(OneNodeGateway node, String body, int status, String reason) throws Exception {
    HttpResponse<String> response = node.call("POST", "/v1/txn", body);
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.body().contains(reason), response.body());
  }
}
