package io.raftkv.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/watch} on a real one-node cluster: a revision per line, in order, only the keys
 * watched, a transaction's changes in one line; progress when idle; the compacted line when the
 * start is gone; a value at the limit (1.5 MiB) through it; the bound on watches.
 */
@Timeout(120)
class HttpWatchTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SETTINGS = "raftkv.watch { progress-interval = 300ms, watchers-max = 3 }\n";

  @TempDir Path dir;

  private static long revision(HttpResponse<?> response) {
    return Long.parseLong(response.headers().firstValue(HttpGateway.REVISION).orElseThrow());
  }

  @Test
  void aWatchStreamsEveryRevisionOfItsKeysInOrderFromItsStart() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir, SETTINGS)) {
      long first = revision(node.call("PUT", "/v1/kv/p%2Fa", "1"));
      node.call("PUT", "/v1/kv/other", "x");
      long deleted = revision(node.call("DELETE", "/v1/kv/p%2Fa", null));
      try (WatchLines watch = new WatchLines(node.base() + "/v1/watch?prefix=p/&start_revision=" + first)) {
        assertEquals(200, watch.status);
        JsonNode put = watch.nextEvents(WAIT);
        assertEquals(first, put.get("revision").asLong(), put.toString());
        JsonNode event = put.get("events").get(0);
        assertEquals("put", event.get("type").asText());
        assertEquals("p/a", event.get("key").asText());
        assertEquals("1", event.get("value").asText());
        assertEquals(first, event.get("createRevision").asLong());
        assertEquals(1, event.get("version").asLong());
        JsonNode delete = watch.nextEvents(WAIT);
        assertEquals(deleted, delete.get("revision").asLong(), "the put of 'other' is not watched: " + delete);
        assertEquals("delete", delete.get("events").get(0).get("type").asText());

        // Caught up and idle: progress lines, saying how far the watch has seen.
        JsonNode progress = watch.next(WAIT);
        assertEquals("progress", progress.get("type").asText(), progress.toString());
        assertTrue(progress.get("revision").asLong() >= deleted, progress.toString());

        // A transaction's changes come in one line, at one revision.
        String txn = "{\"success\": [{\"op\": \"put\", \"key\": \"p/z\", \"value\": \"2\"},"
            + " {\"op\": \"put\", \"key\": \"p/b\", \"value\": \"3\"}, {\"op\": \"put\", \"key\": \"q\", \"value\": \"4\"}]}";
        long txnRevision = revision(node.call("POST", "/v1/txn", txn));
        JsonNode both = watch.nextEvents(WAIT);
        assertEquals(txnRevision, both.get("revision").asLong());
        assertEquals(2, both.get("events").size(), both.toString());
        assertEquals("p/b", both.get("events").get(0).get("key").asText(), "key order within a revision");
        assertEquals("p/z", both.get("events").get(1).get("key").asText());

        // A value at the limit arrives whole, as base64 when it is not text.
        byte[] big = new byte[1536 * 1024];
        Arrays.fill(big, (byte) 0xff);
        String putBig = "{\"success\": [{\"op\": \"put\", \"key\": \"p/big\", \"valueBase64\": \""
            + Base64.getEncoder().encodeToString(big) + "\"}]}";
        assertEquals(200, node.call("POST", "/v1/txn", putBig).statusCode());
        JsonNode bigLine = watch.nextEvents(WAIT);
        assertTrue(Arrays.equals(big, Base64.getDecoder().decode(bigLine.get("events").get(0).get("valueBase64").asText())));
      }

      // A key watch from now on sees only that key's later changes.
      try (WatchLines one = new WatchLines(node.base() + "/v1/watch?key=p/b")) {
        long now = revision(one.response);
        node.call("PUT", "/v1/kv/p%2Fz", "5");
        long b = revision(node.call("PUT", "/v1/kv/p%2Fb", "6"));
        JsonNode line = one.nextEvents(WAIT);
        assertEquals(b, line.get("revision").asLong(), "from " + now + ": " + line);
        assertEquals("6", line.get("events").get(0).get("value").asText());
      }
    }
  }

  @Test
  void aWatchFromACompactedRevisionGetsTheCompactedLineAndEnds() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir, SETTINGS)) {
      long first = revision(node.call("PUT", "/v1/kv/k", "1"));
      long second = revision(node.call("PUT", "/v1/kv/k", "2"));
      assertEquals(204, node.call("POST", "/v1/compact?revision=" + second, null).statusCode());
      try (WatchLines watch = new WatchLines(node.base() + "/v1/watch?key=k&start_revision=" + first)) {
        JsonNode compacted = watch.next(WAIT);
        assertEquals("compacted", compacted.get("type").asText(), compacted.toString());
        assertEquals(second, compacted.get("compactedRevision").asLong());
        assertNull(watch.next(WAIT), "the stream ends");
      }
      try (WatchLines watch = new WatchLines(node.base() + "/v1/watch?key=k&start_revision=" + (second + 1))) {
        long third = revision(node.call("PUT", "/v1/kv/k", "3"));
        assertEquals(third, watch.nextEvents(WAIT).get("revision").asLong(), "just after the compacted revision: kept");
      }
    }
  }

  @Test
  void watchesAreBoundedAndBadOnesRefused() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir, SETTINGS)) {
      assertEquals(400, node.call("GET", "/v1/watch", null).statusCode());
      assertEquals(400, node.call("GET", "/v1/watch?key=a&prefix=b", null).statusCode());
      assertEquals(400, node.call("GET", "/v1/watch?key=a&start_revision=0", null).statusCode());
      try (WatchLines a = new WatchLines(node.base() + "/v1/watch?prefix=");
           WatchLines b = new WatchLines(node.base() + "/v1/watch?prefix=");
           WatchLines c = new WatchLines(node.base() + "/v1/watch?prefix=")) {
        for (WatchLines w : new WatchLines[] {a, b, c}) {
          assertEquals("progress", w.next(WAIT).get("type").asText(), "each is served");
        }
        HttpResponse<String> fourth = node.call("GET", "/v1/watch?prefix=", null);
        assertEquals(503, fourth.statusCode(), fourth.body());
        assertTrue(fourth.body().contains("watchers-max"), fourth.body());
      }
    }
  }
}
