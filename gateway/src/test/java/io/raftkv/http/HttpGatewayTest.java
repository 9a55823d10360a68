package io.raftkv.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API on a real one-node cluster: every operation, and bad input answered with a 4xx and a JSON error. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpGatewayTest {
  @TempDir static Path dir;
  private OneNodeGateway node;
  private String base;

  @BeforeAll
  void start() throws Exception {
    node = OneNodeGateway.start(dir, "raftkv.kv.key-bytes-max = 64\nraftkv.kv.value-bytes-max = 1 KiB\n");
    base = node.base();
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
    return node.call(method, path, body, headers);
  }

  /** Sends bytes no well-behaved client would (a malformed escape, a broken header) and returns the status line. */
  private String raw(String request) throws IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)))) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  private static void json4xx(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), "not JSON: " + r.headers());
    assertTrue(r.body().contains("\"error\""), r.body());
  }

  @Test
  void everyOperation() throws Exception {
    assertEquals(204, call("PUT", "/v1/kv/fruit%2Fapple", "red").statusCode());
    HttpResponse<String> got = call("GET", "/v1/kv/fruit%2Fapple", null);
    assertEquals(200, got.statusCode());
    assertEquals("red", got.body());
    assertEquals(204, call("POST", "/v1/kv/fruit%2Fapple/append", "dish").statusCode());
    assertEquals("reddish", call("GET", "/v1/kv/fruit%2Fapple?consistency=serializable", null).body());
    HttpResponse<String> mismatch = call("POST", "/v1/kv/fruit%2Fapple/cas?expected=green", "x");
    assertEquals(409, mismatch.statusCode());
    assertEquals("reddish", mismatch.body());
    assertEquals(204, call("POST", "/v1/kv/fruit%2Fapple/cas?expected=reddish", "green").statusCode());
    HttpResponse<String> missing = call("POST", "/v1/kv/fruit%2Fpear/cas", "ripe");
    assertEquals(204, missing.statusCode(), "cas with no expected value sets a missing key");
    HttpResponse<String> present = call("POST", "/v1/kv/fruit%2Fpear/cas", "again");
    assertEquals(409, present.statusCode(), "cas with no expected value fails on an existing key");
    HttpResponse<String> scan = call("GET", "/v1/kv?prefix=fruit%2F&limit=10", null);
    assertEquals(200, scan.statusCode());
    assertTrue(scan.body().indexOf("fruit/apple") < scan.body().indexOf("fruit/pear"), scan.body());
    assertEquals(204, call("DELETE", "/v1/kv/fruit%2Fapple", null).statusCode());
    json4xx(call("GET", "/v1/kv/fruit%2Fapple", null), 404);
    HttpResponse<String> cluster = call("GET", "/v1/cluster", null);
    assertEquals(200, cluster.statusCode());
    assertTrue(cluster.body().contains("\"leader\":1"), cluster.body());
  }

  @Test
  void metricsAreInPrometheusTextFormat() throws Exception {
    assertEquals(204, call("PUT", "/v1/kv/metered", "1").statusCode());
    HttpResponse<String> m = call("GET", "/metrics", null);
    assertEquals(200, m.statusCode());
    for (String name : new String[] {"raftkv_http_requests_total", "raftkv_http_request_duration_seconds_bucket", "raftkv_raft_term",
        "raftkv_raft_commit_index", "raftkv_raft_applied_index", "raftkv_raft_log_entries", "raftkv_raft_role_changes_total",
        "raftkv_raft_persist_duration_seconds_count", "raftkv_http_inbox_requests", "raftkv_http_gateway_sessions",
        "raftkv_kv_state_bytes", "raftkv_kv_quota_bytes", "raftkv_kv_quota_alarm 0.0"}) {
      assertTrue(m.body().contains(name), name + " missing from\n" + m.body());
    }
    assertTrue(m.body().contains("route=\"PUT /v1/kv/{key}\""), "the key must not be a label value");
    assertTrue(!m.body().contains("metered"), "a key leaked into the metrics");
  }

  @Test
  void sessionHeadersMakeARetriedWriteApplyOnce() throws Exception {
    HttpResponse<String> session = call("POST", "/v1/session", null);
    assertEquals(200, session.statusCode(), session.body());
    String id = session.body().replaceAll("[^0-9]", "");
    for (int i = 0; i < 3; i++) {
      assertEquals(204, call("POST", "/v1/kv/counter/append", "+", "Raftkv-Client-Id", id, "Raftkv-Request-Seq", "1").statusCode());
    }
    assertEquals("+", call("GET", "/v1/kv/counter", null).body());
  }

  @Test
  void badInputGetsItsFourHundredAndAJsonError() throws Exception {
    json4xx(call("PUT", "/v1/kv/" + "k".repeat(100), "v"), 413);
    json4xx(call("PUT", "/v1/kv/big", "v".repeat(2000)), 413);
    json4xx(call("PATCH", "/v1/kv/k", "v"), 405);
    json4xx(call("GET", "/v1/kv/k?consistency=eventual", null), 400);
    json4xx(call("GET", "/v1/kv?limit=lots", null), 400);
    json4xx(call("GET", "/v1/kv?limit=0", null), 400);
    json4xx(call("PUT", "/v1/kv/k", "v", "Raftkv-Client-Id", "abc", "Raftkv-Request-Seq", "1"), 400);
    json4xx(call("PUT", "/v1/kv/k", "v", "Raftkv-Client-Id", "7"), 400);
    json4xx(call("GET", "/v2/nothing", null), 404);
    String malformed = raw("GET /v1/kv/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(malformed.startsWith("HTTP/1.1 400"), malformed);
    String garbage = raw("PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\nConnection: close\r\n\r\nv");
    assertTrue(garbage.startsWith("HTTP/1.1 400"), garbage);
    // None of that changed anything, and the node still serves.
    json4xx(call("GET", "/v1/kv/big", null), 404);
    assertEquals(200, call("GET", "/health", null).statusCode());
  }
}
