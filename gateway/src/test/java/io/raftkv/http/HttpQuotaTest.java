package io.raftkv.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The space quota on a real one-node cluster: a 1 MiB quota filled with values at a 64 KiB
 * value-bytes-max (16 of them take the state just over it), then 507 with a JSON error for writes
 * that would grow it, reads and deletes served, the size shown by /metrics and /v1/cluster, the
 * same after a restart from a snapshot, and writes taken again once deletes bring it under.
 */
@Timeout(120)
class HttpQuotaTest {
  private static final int VALUE_BYTES = 64 * 1024;
  private static final long QUOTA_BYTES = 1024 * 1024;
  /** Keys key-00 .. key-15 (6 bytes) at the value limit: 16 x 65,542 = 1,048,672 bytes, just over the quota. */
  private static final long FULL_BYTES = 16L * (6 + VALUE_BYTES);
  /** Snapshots every 8 entries: the restart restores one and replays the log after it. */
  private static final String SETTINGS = "raftkv.kv.value-bytes-max = 64 KiB\nraftkv.kv.quota-bytes = 1 MiB\n"
      + "raftkv.raft.snapshot-entries-max = 8\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static String value(int fill) {
    return String.valueOf((char) ('a' + fill % 26)).repeat(VALUE_BYTES);
  }

  private static String key(int i) {
    return String.format("key-%02d", i);
  }

  @Test
  void writesThatWouldGrowAStateOverItsQuotaGet507AndEverythingElseGoesOn() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir, SETTINGS)) {
      for (int i = 0; i < 16; i++) {
        assertEquals(204, node.call("PUT", "/v1/kv/" + key(i), value(i)).statusCode(), key(i));
      }
      assertFull(node.call("PUT", "/v1/kv/key-16", value(16)), FULL_BYTES);
      assertFull(node.call("POST", "/v1/kv/new/append", "x"), FULL_BYTES);
      assertFull(node.call("POST", "/v1/kv/new/cas", "x"), FULL_BYTES);
      assertEquals(404, node.call("GET", "/v1/kv/key-16", null).statusCode());
      assertEquals(404, node.call("GET", "/v1/kv/new", null).statusCode());

      // reads are served, and a write that shrinks the state is applied even over the quota
      HttpResponse<String> read = node.call("GET", "/v1/kv/key-00", null);
      assertEquals(200, read.statusCode());
      assertEquals(value(0), read.body());
      assertTrue(node.call("GET", "/v1/kv?prefix=key-&limit=100", null).body().contains("key-15"));
      assertEquals(204, node.call("PUT", "/v1/kv/key-01", "s".repeat(VALUE_BYTES - 16)).statusCode());
      long afterShrink = FULL_BYTES - 16;
      assertTrue(afterShrink > QUOTA_BYTES, "still over: " + afterShrink);
      assertEquals(afterShrink, metric(node, "raftkv_kv_state_bytes"));
      assertEquals(QUOTA_BYTES, metric(node, "raftkv_kv_quota_bytes"));
      assertEquals(1, metric(node, "raftkv_kv_quota_alarm"));
      JsonNode self = clusterSelf(node);
      assertEquals(afterShrink, self.get("stateBytes").asLong(), self.toString());
      assertEquals(QUOTA_BYTES, self.get("quotaBytes").asLong(), self.toString());
      assertTrue(self.get("quotaAlarm").asBoolean(), self.toString());
      assertFull(node.call("PUT", "/v1/kv/key-16", value(16)), afterShrink);
    }

    // a restart counts the state again from the snapshot and the log after it
    try (OneNodeGateway node = OneNodeGateway.start(dir, SETTINGS)) {
      long afterShrink = FULL_BYTES - 16;
      awaitMetric(node, "raftkv_kv_state_bytes", afterShrink);
      assertEquals(1, metric(node, "raftkv_kv_quota_alarm"));
      assertFull(node.call("PUT", "/v1/kv/key-16", value(16)), afterShrink);

      assertEquals(204, node.call("DELETE", "/v1/kv/key-00", null).statusCode());
      long underQuota = afterShrink - (6 + VALUE_BYTES);
      assertEquals(underQuota, metric(node, "raftkv_kv_state_bytes"));
      assertEquals(0, metric(node, "raftkv_kv_quota_alarm"));
      assertEquals(204, node.call("PUT", "/v1/kv/key-16", value(16)).statusCode(), "taken again once under the quota");
      assertEquals(value(16), node.call("GET", "/v1/kv/key-16", null).body());
      assertEquals(underQuota + 6 + VALUE_BYTES, metric(node, "raftkv_kv_state_bytes"));
    }
  }

  private static void assertFull(HttpResponse<String> r, long stateBytes) throws Exception {
    assertEquals(507, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), r.headers().toString());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("quota exceeded", body.path("error").asText(), r.body());
    assertEquals("the state is " + stateBytes + " bytes, over raftkv.kv.quota-bytes = " + QUOTA_BYTES
        + " bytes: writes that would grow it are refused until deletes bring it back under; reads and deletes go on",
        body.path("detail").asText());
    assertEquals(stateBytes, body.path("stateBytes").asLong(-1), r.body());
    assertEquals(QUOTA_BYTES, body.path("quotaBytes").asLong(-1), r.body());
  }

  private static JsonNode clusterSelf(OneNodeGateway node) throws Exception {
    JsonNode cluster = JSON.readTree(node.call("GET", "/v1/cluster", null).body());
    return cluster.get("nodes").get(0);
  }

  /** A gauge's value in /metrics. */
  private static long metric(OneNodeGateway node, String name) throws Exception {
    return metricIn(node.call("GET", "/metrics", null).body(), name)
        .orElseThrow(() -> new AssertionError(name + " missing from /metrics"));
  }

  private static Optional<Long> metricIn(String scrape, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(scrape);
    return m.find() ? Optional.of((long) Double.parseDouble(m.group(1))) : Optional.empty();
  }

  /** Waits for the restarted node to have applied its log up to {@code expected}; the health check only says it leads. */
  private static void awaitMetric(OneNodeGateway node, String name, long expected) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    long seen = -1;
    while (System.nanoTime() < deadline) {
      seen = metric(node, name);
      if (seen == expected) return;
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // poll the condition until the deadline
    }
    throw new AssertionError(name + " is " + seen + ", expected " + expected);
  }
}
