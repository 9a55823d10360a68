package io.raftkv.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.raftkv.node.NodeConfig;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad input against a real one-node cluster: every malformed, oversize, misdirected or slow request
 * gets its 4xx with a JSON body {@code {"error": ..., "detail": ...}}, never a 5xx, and afterwards
 * the node still serves and the data written before is intact (checked after every test). Requests
 * {@code java.net.http} will not send go through {@link RawHttp}.
 *
 * <p>Three times ({@link Access}): over plain HTTP; over HTTPS with authentication on and the
 * admin's token on every request, where every case must get the same 4xx; and over HTTPS without a
 * token, where a case the parser refuses keeps its 4xx and any other gets 401 before its body is
 * read (a slow body is not waited for). The requests that set up or check a case ({@link #admin})
 * carry the admin's token whatever the mode.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(HttpBadInputTest.Access.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpBadInputTest {
  /** How the requests under test reach the node. */
  enum Access {
    PLAIN(false, false),
    HTTPS_ADMIN_TOKEN(true, true),
    HTTPS_NO_TOKEN(true, false);

    final boolean https;
    final boolean token;

    Access(boolean https, boolean token) {
      this.https = https;
      this.token = token;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The slow-client bounds this node is configured with (raftkv.http.request-*-timeout). */
  private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration BODY_TIMEOUT = Duration.ofSeconds(4);
  /** How much later than its bound a slow client may be answered on a busy machine. */
  private static final Duration SLACK = Duration.ofSeconds(4);

  @TempDir static Path dir;
  @Parameter Access access;
  private OneNodeGateway node;
  private int port;

  @BeforeParameterizedClassInvocation
  void start() throws Exception {
    Path here = dir.resolve(access.name());
    String settings = "raftkv.kv { key-bytes-max = 64, value-bytes-max = 1 KiB, scan-entries-max = 50 }\n"
        + "raftkv.http { request-head-timeout = " + HEAD_TIMEOUT.toMillis() + "ms, request-body-timeout = " + BODY_TIMEOUT.toMillis() + "ms }\n"
        // Shorter than the longest key needs percent-encoded (3 x 64 bytes, twice in a scan): the gateway must raise it.
        + "pekko.http.server.parsing.max-uri-length = 150\n";
    node = access.https ? OneNodeGateway.startSecure(here, settings) : OneNodeGateway.start(here, settings);
    port = node.port;
    assertEquals(204, admin("PUT", "/v1/kv/kept", "safe").statusCode());
  }

  @AfterParameterizedClassInvocation
  void stop() {
    node.close();
  }

  /** After every case: the node still takes a normal write and read, and the earlier data is intact. */
  @AfterEach
  void nodeStillServes() throws Exception {
    assertEquals(204, admin("PUT", "/v1/kv/after", "ok").statusCode());
    assertEquals("ok", admin("GET", "/v1/kv/after", null).body());
    HttpResponse<String> kept = admin("GET", "/v1/kv/kept", null);
    assertEquals(200, kept.statusCode());
    assertEquals("safe", kept.body());
  }

  /** A request under test: with the admin's token in the mode that has one. */
  private HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
    return access.token ? admin(method, path, body, headers) : node.call(method, path, body, headers);
  }

  /** A request that sets up or checks a case: with the admin's token whenever authentication is on. */
  private HttpResponse<String> admin(String method, String path, String body, String... headers) throws Exception {
    if (!access.https) return node.call(method, path, body, headers);
    String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = "Authorization";
    all[headers.length + 1] = "Bearer " + node.token("admin");
    return node.call(method, path, body, all);
  }

  /** The raw request under test, over TLS in the HTTPS modes, with the admin's token in the mode that has one. */
  private RawHttp.Response raw(String request) throws IOException {
    return RawHttp.exchange(port, node.tls, credentials(request));
  }

  private RawHttp connection(Duration readTimeout) throws IOException {
    return new RawHttp(port, readTimeout, node.tls);
  }

  /** {@code request} with the mode's Authorization header after its first line, if the mode has a token. */
  private String credentials(String request) {
    return access.token ? withAdminToken(request) : request;
  }

  /**
   * {@code request} with the admin's token after its first line whenever authentication is on: for
   * requests that are no case. Not after a first line that is no request line (garbage stays garbage).
   */
  private String withAdminToken(String request) {
    int line = request.indexOf("\r\n");
    if (!access.https || line < 0 || !request.substring(0, line).contains(" HTTP/")) return request;
    return request.substring(0, line + 2) + "Authorization: Bearer " + node.token("admin") + "\r\n" + request.substring(line + 2);
  }

  /**
   * Whether {@code status} is the 401 that, without a token, stands in for what a route would have
   * answered: a case that gets it has nothing more to check.
   */
  private boolean unauthenticated(int status) {
    return access == Access.HTTPS_NO_TOKEN && status == 401;
  }

  /** The error's JSON, after checking the status (or the 401 that stands for it without a token), the content type and both fields. */
  private JsonNode jsonError(int status, int expected, String contentType, String body) throws IOException {
    if (!unauthenticated(status)) assertEquals(expected, status, body);
    assertTrue(contentType != null && contentType.startsWith("application/json"), "not JSON (" + contentType + "): " + body);
    JsonNode json = JSON.readTree(body);
    assertTrue(json.isObject() && json.path("error").isTextual() && json.path("detail").isTextual(), "not {error, detail}: " + body);
    return json;
  }

  private JsonNode jsonError(HttpResponse<String> r, int expected) throws IOException {
    return jsonError(r.statusCode(), expected, r.headers().firstValue("content-type").orElse(null), r.body());
  }

  private JsonNode jsonError(RawHttp.Response r, int expected) throws IOException {
    assertNotNull(r, "no answer: the server closed the connection");
    return jsonError(r.status(), expected, r.header("content-type"), r.body());
  }

  /** Runs one case of a loop, naming it in a failure. */
  private static void labelled(String label, org.junit.jupiter.api.function.Executable check) {
    try {
      check.execute();
    } catch (AssertionError e) {
      throw new AssertionError(label + ": " + e.getMessage(), e);
    } catch (Throwable t) {
      throw new AssertionError(label + ": " + t, t);
    }
  }

  /** The detail names one of {@code names}: a limit is called by its setting or by its name in KvLimits (not the 401 standing in for it). */
  private static void detailNames(JsonNode error, String... names) {
    if (error.path("error").asText().equals("unauthorized")) return;
    String detail = error.path("detail").asText();
    assertTrue(java.util.Arrays.stream(names).anyMatch(detail::contains), "the detail names none of " + String.join(", ", names) + ": " + error);
  }

  // ---- paths ----

  @Test
  void malformedAndUnknownPathsAre404() throws Exception {
    for (String path : new String[] {"/v1/kv/", "/v1/kv//k", "/v1//kv/k", "//v1/kv/k", "/v1/kv/k/", "/v1/kv/k/other", "/v1/kv/k/append/more",
        "/v1/kv/k//append", "/v2/kv/k", "/nothing", "/v1", "/v1/", "/health/", "/v1/kv/k/cas/x"}) {
      jsonError(call("GET", path, null), 404);
      jsonError(call("PUT", path, "v"), 404);
    }
    jsonError(raw("GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 404);
    jsonError(raw("GET http://x/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 404);
    // An absolute target naming another host than the Host header.
    jsonError(raw("GET http://elsewhere.example/v1/kv/kept HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400);
  }

  @Test
  void badPercentEncodingIs400() throws Exception {
    for (String target : new String[] {"/v1/kv/%zz", "/v1/kv/%4", "/v1/kv/a%", "/v1/kv/%%41", "/v1/kv/k?consistency=%zz", "/v1/kv?prefix=%4",
        "/v1/kv/k/cas?expected=%g1"}) {
      for (String method : new String[] {"GET", "PUT"}) {
        RawHttp.Response r = raw(method + " " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nv");
        jsonError(r, 400);
      }
    }
  }

  @Test
  void aKeyThatIsNotUtf8Is400() throws Exception {
    // A lone continuation byte, an overlong '/', a truncated 3-byte sequence, a UTF-16 surrogate encoded in UTF-8.
    for (String key : new String[] {"%80", "%C0%AF", "%E2%82", "a%FFb", "%ED%A0%80"}) {
      jsonError(call("PUT", "/v1/kv/" + key, "v"), 400);
      jsonError(call("GET", "/v1/kv/" + key, null), 400);
      jsonError(call("GET", "/v1/kv?prefix=" + key, null), 400);
    }
    // Valid UTF-8, including a real U+FFFD, is a key like any other.
    assertEquals(204, admin("PUT", "/v1/kv/%EF%BF%BD%C3%A9", "odd").statusCode());
    assertEquals("odd", admin("GET", "/v1/kv/%EF%BF%BD%C3%A9", null).body());
  }

  // ---- sizes ----

  @Test
  void oversizeKeysAndValuesAre413NamingTheLimit() throws Exception {
    String longKey = "k".repeat(65);
    detailNames(jsonError(call("PUT", "/v1/kv/" + longKey, "v"), 413), "keyBytesMax", "key-bytes-max");
    detailNames(jsonError(call("GET", "/v1/kv/" + longKey, null), 413), "keyBytesMax", "key-bytes-max");
    detailNames(jsonError(call("DELETE", "/v1/kv/" + longKey, null), 413), "keyBytesMax", "key-bytes-max");
    detailNames(jsonError(call("POST", "/v1/kv/" + longKey + "/append", "v"), 413), "keyBytesMax", "key-bytes-max");
    detailNames(jsonError(call("GET", "/v1/kv?prefix=" + longKey, null), 413), "keyBytesMax", "key-bytes-max");
    // 22 three-byte characters: 66 bytes of UTF-8 though only 22 characters.
    detailNames(jsonError(call("PUT", "/v1/kv/" + "%E2%82%AC".repeat(22), "v"), 413), "keyBytesMax", "key-bytes-max");
    assertEquals(204, admin("PUT", "/v1/kv/" + "k".repeat(64), "fits").statusCode());

    String big = "v".repeat(1025);
    detailNames(jsonError(call("PUT", "/v1/kv/big", big), 413), "valueBytesMax", "value-bytes-max");
    detailNames(jsonError(call("POST", "/v1/kv/big/append", big), 413), "valueBytesMax", "value-bytes-max");
    detailNames(jsonError(call("POST", "/v1/kv/big/cas", big), 413), "valueBytesMax", "value-bytes-max");
    detailNames(jsonError(call("POST", "/v1/kv/big/cas?expected=" + big, "v"), 413), "valueBytesMax", "value-bytes-max");
    assertEquals(204, admin("PUT", "/v1/kv/big", "v".repeat(1024)).statusCode());
    detailNames(jsonError(call("POST", "/v1/kv/big/append", "v"), 413), "valueBytesMax", "value-bytes-max");
    // Chunked, so the size is known only once read.
    RawHttp.Response chunked = raw("PUT /v1/kv/big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + "400\r\n" + "w".repeat(1024) + "\r\n1\r\nw\r\n0\r\n\r\n");
    detailNames(jsonError(chunked, 413), "valueBytesMax", "value-bytes-max");
    assertEquals("v".repeat(1024), admin("GET", "/v1/kv/big", null).body(), "no refused write changed the value");
  }

  @Test
  void anOversizeBodyThatIsNotAValueIs413() throws Exception {
    String big = "x".repeat(5000);
    for (String[] r : new String[][] {{"GET", "/v1/kv/kept"}, {"DELETE", "/v1/kv/kept"}, {"POST", "/v1/session"}, {"GET", "/v1/kv"},
        {"GET", "/health"}, {"GET", "/nothing"}}) {
      detailNames(jsonError(call(r[0], r[1], big), 413), "value-bytes-max");
    }
    // Declared far larger than it is, and larger than Pekko's own max-content-length: refused before any of it is read.
    RawHttp.Response declared = raw("PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\nConnection: close\r\n\r\nabc");
    jsonError(declared, 413);
  }

  @Test
  void theLongestKeyFitsInARequestTargetEvenFullyEncoded() throws Exception {
    String key = "%E2%82%AC".repeat(21) + "k"; // 64 bytes of UTF-8, 190 characters encoded
    assertEquals(204, admin("PUT", "/v1/kv/" + key, "euro").statusCode());
    assertEquals("euro", admin("GET", "/v1/kv/" + key + "?consistency=serializable", null).body());
    assertEquals(409, admin("POST", "/v1/kv/" + key + "/cas?expected=" + "%E2%82%AC".repeat(40), "x").statusCode());
    // A scan's next page names two such keys: its prefix and the key it starts after.
    String prefix = "%E2%82%AC".repeat(21) + "j";
    assertEquals(200, admin("GET", "/v1/kv?prefix=" + prefix + "&after=" + key + "&limit=10&consistency=serializable", null).statusCode());
  }

  @Test
  void anOverlongRequestTargetIs414() throws Exception {
    jsonError(raw("GET /v1/kv/" + "k".repeat(5000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 414);
  }

  // ---- methods ----

  @Test
  void wrongMethodsAre405WithAllow() throws Exception {
    String[][] cases = {
        {"PATCH", "/v1/kv/k", "DELETE, GET, PUT"}, {"POST", "/v1/kv/k", "DELETE, GET, PUT"}, {"GET", "/v1/kv/k/append", "POST"},
        {"PUT", "/v1/kv/k/cas", "POST"}, {"DELETE", "/v1/kv", "GET"}, {"GET", "/v1/session", "POST"}, {"POST", "/v1/cluster", "GET"},
        {"PUT", "/health", "GET"}, {"DELETE", "/metrics", "GET"}, {"OPTIONS", "/v1/kv/k", "DELETE, GET, PUT"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = call(c[0], c[1], c[0].equals("PATCH") || c[0].equals("PUT") ? "v" : null);
      jsonError(r, 405);
      if (unauthenticated(r.statusCode())) continue;
      assertEquals(c[2], sortedAllow(r.headers().firstValue("allow").orElse("")), c[0] + " " + c[1]);
    }
    // A method no route knows, and HTTP/2's connection preface (this server speaks HTTP/1.1 only): Pekko's 501 is a 405.
    for (String request : new String[] {"BREW /v1/kv/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"}) {
      RawHttp.Response unknown = raw(request);
      jsonError(unknown, 405);
      assertEquals("DELETE, GET, POST, PUT", sortedAllow(unknown.header("allow")), unknown.toString());
    }
  }

  private static String sortedAllow(String allow) {
    return String.join(", ", new java.util.TreeSet<>(java.util.Arrays.asList(allow.split("\\s*,\\s*"))));
  }

  // ---- cas ----

  @Test
  void casWithAMissingOrWrongExpectedIs409WithTheCurrentValue() throws Exception {
    assertEquals(204, admin("PUT", "/v1/kv/c", "now").statusCode());
    for (String query : new String[] {"", "?expected=before", "?expected=", "?expected=NOW", "?expected=now%20"}) {
      HttpResponse<String> r = call("POST", "/v1/kv/c/cas" + query, "next");
      if (unauthenticated(r.statusCode())) continue;
      assertEquals(409, r.statusCode(), query);
      assertEquals("now", r.body(), query);
      assertTrue(r.headers().firstValue("raftkv-missing").isEmpty(), query);
    }
    HttpResponse<String> missing = call("POST", "/v1/kv/absent/cas?expected=x", "next");
    if (!unauthenticated(missing.statusCode())) {
      assertEquals(409, missing.statusCode());
      assertEquals("", missing.body());
      assertEquals("true", missing.headers().firstValue("raftkv-missing").orElse(""));
    }
    assertEquals("now", admin("GET", "/v1/kv/c", null).body());
    jsonError(call("GET", "/v1/kv/absent", null), 404);
  }

  // ---- headers ----

  @Test
  void garbageOrConflictingSessionHeadersAre400() throws Exception {
    String[][] cases = {
        {"Raftkv-Client-Id", "7"}, {"Raftkv-Request-Seq", "1"},
        {"Raftkv-Client-Id", "abc", "Raftkv-Request-Seq", "1"}, {"Raftkv-Client-Id", "7", "Raftkv-Request-Seq", "one"},
        {"Raftkv-Client-Id", "-7", "Raftkv-Request-Seq", "1"}, {"Raftkv-Client-Id", "7", "Raftkv-Request-Seq", "-1"},
        {"Raftkv-Client-Id", "0", "Raftkv-Request-Seq", "1"}, {"Raftkv-Client-Id", "7", "Raftkv-Request-Seq", "0"},
        {"Raftkv-Client-Id", "99999999999999999999999", "Raftkv-Request-Seq", "1"},
        {"Raftkv-Client-Id", "7", "Raftkv-Request-Seq", "9223372036854775808"},
        {"Raftkv-Client-Id", "1e3", "Raftkv-Request-Seq", "1"}, {"Raftkv-Client-Id", "0x10", "Raftkv-Request-Seq", "1"},
        {"Raftkv-Client-Id", "", "Raftkv-Request-Seq", "1"},
    };
    for (String[] h : cases) {
      labelled(String.join(" ", h), () -> {
        jsonError(call("PUT", "/v1/kv/k", "v", h), 400);
        jsonError(call("DELETE", "/v1/kv/k", null, h), 400);
      });
    }
    // The same header twice with different values: which one counts is not for the server to guess.
    RawHttp.Response twice = raw("PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nRaftkv-Client-Id: 7\r\nRaftkv-Client-Id: 8\r\n"
        + "Raftkv-Request-Seq: 1\r\nContent-Length: 1\r\nConnection: close\r\n\r\nv");
    jsonError(twice, 400);
    // A well-formed pair for a client that never opened a session is no 5xx either.
    HttpResponse<String> unknownClient = call("PUT", "/v1/kv/k", "v", "Raftkv-Client-Id", "9223372036854775807", "Raftkv-Request-Seq", "1");
    assertTrue(unknownClient.statusCode() < 500, unknownClient.statusCode() + " " + unknownClient.body());
  }

  @Test
  void brokenHeaderLinesAre400() throws Exception {
    String[] heads = {
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nthis is not a header\r\nContent-Length: 1\r\nConnection: close\r\n\r\nv",
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\n: no name\r\nContent-Length: 1\r\nConnection: close\r\n\r\nv",
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nBad Name: v\r\nContent-Length: 1\r\nConnection: close\r\n\r\nv",
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\nConnection: close\r\n\r\nv",
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\nv",
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nvv",
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1\r\nv\r\n0\r\n\r\n",
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nv\r\n0\r\n\r\n",
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n1\r\nv\r\n0\r\n\r\n",
        // HTTP/1.0 has no chunked transfer coding (RFC 9112, 6.1): the framing is unknowable.
        "GET /v1/kv/k HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "PUT /v1/kv/k HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nv\r\n0\r\n\r\n",
        "PUT /v1/kv/k HTTP/2.0\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nv",
        "PUT /v1/kv/k HTTP/1.1\r\nConnection: close\r\nContent-Length: 1\r\n\r\nv",
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nHost: y\r\nContent-Length: 1\r\nConnection: close\r\n\r\nv",
        "PUT /v1/kv/k\r\nHost: x\r\n\r\n",
        "PUT /v1/kv/k HTTP/1.1 extra\r\nHost: x\r\nConnection: close\r\n\r\n",
        "\u0001\u0002garbage-longer-than-any-method\r\n\r\n",
    };
    for (String head : heads) labelled(head, () -> jsonError(raw(head), 400));
    assertEquals(404, admin("GET", "/v1/kv/k", null).statusCode(), "none of them wrote");
  }

  @Test
  void anHttp10ChunkedRequestAfterAGoodOneIs400AndTheConnectionClosed() throws Exception {
    try (RawHttp c = connection(Duration.ofSeconds(10))) {
      // Pipelined: the good request's answer comes first and stays what it is.
      c.send(withAdminToken("GET /v1/kv/kept HTTP/1.1\r\nHost: x\r\n\r\n")
          + credentials("POST /v1/kv/k/append HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nv\r\n0\r\n\r\n"));
      RawHttp.Response good = c.read();
      assertEquals(200, good.status(), good.toString());
      assertEquals("safe", good.body());
      jsonError(c.read(), 400);
      assertTrue(c.closedByServer(), "where its body ends is unknown: the connection must close");
    }
    jsonError(admin("GET", "/v1/kv/k", null), 404);
  }

  // ---- query parameters ----

  @Test
  void badQueryParametersAre400() throws Exception {
    for (String query : new String[] {"/v1/kv/k?consistency=bogus", "/v1/kv/k?consistency=", "/v1/kv/k?consistency=LINEARIZABLE",
        "/v1/kv?consistency=bogus", "/v1/kv?limit=-1", "/v1/kv?limit=0", "/v1/kv?limit=abc", "/v1/kv?limit=", "/v1/kv?limit=1.5",
        "/v1/kv?limit=99999999999", "/v1/kv?limit=51"}) {
      jsonError(call("GET", query, null), 400);
    }
    assertEquals(200, admin("GET", "/v1/kv?limit=50", null).statusCode());
    // Odd but well-formed queries: whatever the answer, no 5xx, and an error is JSON.
    for (String odd : new String[] {"/v1/kv?limit=1&limit=abc", "/v1/kv?=x", "/v1/kv?&&", "/v1/kv?limit", "/v1/kv?prefix=a=b&limit=2",
        "/v1/kv/kept?consistency", "/v1/kv/kept?consistency=serializable&consistency=bogus", "/v1/kv/kept?%20=%20", "/v1/kv/kept?;",
        "/v1/kv/kept?a[]=1", "/v1/kv/c/cas?expected&expected=x"}) {
      labelled(odd, () -> {
        HttpResponse<String> r = call(odd.contains("cas") ? "POST" : "GET", odd, odd.contains("cas") ? "v" : null);
        assertTrue(r.statusCode() < 500, r.statusCode() + " " + r.body());
        if (r.statusCode() >= 400 && r.statusCode() != 409) jsonError(r, r.statusCode());
      });
    }
  }

  // ---- slow clients ----

  @Test
  void aBodyDribbledByteByByteGets408WhileOthersAreServed() throws Exception {
    RawHttp.Response r = slowClient(credentials("PUT /v1/kv/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"), "s".repeat(100),
        Duration.ofMillis(300), bodyBound());
    detailNames(jsonError(r, 408), "request-body-timeout");
    jsonError(admin("GET", "/v1/kv/slow", null), 404);
  }

  @Test
  void aSlowUploadWithinItsBoundIsServedAndTheConnectionKept() throws Exception {
    // It sends the admin's token itself, so without-a-token would run the with-token case again (6 s of the suite).
    org.junit.jupiter.api.Assumptions.assumeTrue(access != Access.HTTPS_NO_TOKEN, "the same as HTTPS_ADMIN_TOKEN: it sends the token itself");
    for (boolean expectContinue : new boolean[] {false, true}) {
      try (RawHttp c = connection(Duration.ofSeconds(10))) {
        c.send(withAdminToken("PUT /v1/kv/patient HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n" + (expectContinue ? "Expect: 100-continue\r\n" : "")
            + "\r\n"));
        if (expectContinue) assertEquals(100, c.read().status(), "no 100 Continue");
        long started = System.nanoTime();
        // Longer than the head's bound, within the body's: the head arrived in time, so only the body's bound counts.
        for (int i = 0; i < 10; i++) {
          c.send(new byte[] {(byte) ('0' + i)});
          LockSupport.parkNanos(HEAD_TIMEOUT.toNanos() * 3 / 2 / 10); // the scenario: ten bytes over 1.5 head timeouts
        }
        RawHttp.Response put = c.read();
        assertEquals(204, put.status(), put.toString());
        assertTrue(System.nanoTime() - started > HEAD_TIMEOUT.toNanos(), "the upload was not slower than the head's bound");
        c.send(withAdminToken("GET /v1/kv/patient HTTP/1.1\r\nHost: x\r\n\r\n"));
        RawHttp.Response get = c.read();
        assertEquals(200, get.status(), get.toString());
        assertEquals("0123456789", get.body());
      }
    }
  }

  @Test
  void aBadSlowClientBoundIsRefusedNamingIt() {
    String conf = "raftkv.cluster.nodes = [ { id = 1, host = \"127.0.0.1\", artery-port = 1, http-port = 2, data-dir = \"bounds\" } ]\n"
        + "raftkv.http.request-body-timeout = 0s\n";
    NodeConfig config = NodeConfig.of(1, ConfigFactory.parseString(conf), dir.resolve(access.name()));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> RequestBounds.of(config));
    assertTrue(e.getMessage().startsWith("raftkv.http.request-body-timeout"), e.getMessage());
  }

  @Test
  void aBodyThatStopsGets408() throws Exception {
    RawHttp.Response r = slowClient(credentials("PUT /v1/kv/stopped HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b"), "", Duration.ZERO,
        bodyBound());
    detailNames(jsonError(r, 408), "request-body-timeout");
    jsonError(admin("GET", "/v1/kv/stopped", null), 404);
  }

  @Test
  void headersSentOneByteAtATimeGet408WhileOthersAreServed() throws Exception {
    String head = "PUT /v1/kv/slowhead HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\nContent-Length: 1\r\n\r\nv";
    detailNames(jsonError(slowClient("", credentials(head), Duration.ofMillis(200), HEAD_TIMEOUT), 408), "request-head-timeout");
    jsonError(admin("GET", "/v1/kv/slowhead", null), 404);
  }

  @Test
  void headersThatStopGet408() throws Exception {
    // Half a header line; and a short garbage "method" that Pekko's parser waits to see the end of.
    for (String partial : new String[] {"GET /v1/kv/kept HTTP/1.1\r\nHost: x\r\nX-Half", "\u0001\u0002garbage\r\n\r\n"}) {
      labelled(partial, () -> detailNames(jsonError(slowClient(credentials(partial), "", Duration.ZERO, HEAD_TIMEOUT), 408), "request-head-timeout"));
    }
  }

  @Test
  void aTlsHandshakeThatStallsIsClosedWithinTheHeadDeadline() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(access.https, "a TLS handshake: HTTPS only");
    try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout((int) HEAD_TIMEOUT.plus(SLACK).toMillis());
      long started = System.nanoTime();
      s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // the start of a TLS record, then nothing
      int read;
      try {
        read = s.getInputStream().read();
      } catch (java.net.SocketException reset) {
        read = -1;
      }
      assertEquals(-1, read, "the server answered a handshake that never came");
      assertAnsweredInTime(started, HEAD_TIMEOUT);
    }
  }

  @Test
  void aKeptAliveConnectionIsAnsweredAgainAfterAnError() throws Exception {
    try (RawHttp c = connection(Duration.ofSeconds(10))) {
      c.send(credentials("GET /v1/kv/k?consistency=bogus HTTP/1.1\r\nHost: x\r\n\r\n"));
      jsonError(c.read(), 400);
      c.send(credentials("PATCH /v1/kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv"));
      jsonError(c.read(), 405);
      c.send(withAdminToken("GET /v1/kv/kept HTTP/1.1\r\nHost: x\r\n\r\n"));
      RawHttp.Response r = c.read();
      assertEquals(200, r.status(), r.toString());
      assertEquals("safe", r.body());
    }
  }

  /**
   * A slow client: sends {@code first} at once, then {@code dribbled} one byte per {@code gap} until
   * the server answers, while a normal client is served beside it. Checks that the answer came
   * within {@code bound} (and not before) and that the server then closed the connection.
   */
  private RawHttp.Response slowClient(String first, String dribbled, Duration gap, Duration bound) throws Exception {
    try (RawHttp slow = connection(bound.plus(SLACK))) {
      long started = System.nanoTime();
      CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(() -> {
        try {
          return slow.read();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      if (!first.isEmpty()) slow.send(first);
      servedWithoutDelay(0);
      byte[] bytes = dribbled.getBytes(StandardCharsets.ISO_8859_1);
      long stopAt = started + bound.plus(SLACK).toNanos();
      for (int i = 0; i < bytes.length && !answer.isDone() && System.nanoTime() < stopAt; i++) {
        try {
          slow.send(new byte[] {bytes[i]});
        } catch (IOException closed) {
          break;
        }
        if (i % 4 == 3) servedWithoutDelay(i);
        LockSupport.parkNanos(gap.toNanos()); // the scenario: a pause between two bytes
      }
      RawHttp.Response r = answer.get(Math.max(0, stopAt - System.nanoTime()) / 1_000_000 + 1000, TimeUnit.MILLISECONDS);
      assertAnsweredInTime(started, bound);
      assertNotNull(r, "no answer: the server closed the connection");
      assertTrue(slow.closedByServer(), "the connection stays open after " + r);
      return r;
    }
  }

  /** How long a slow body may keep its request waiting: its bound, or nothing without a token (the 401 does not wait for it). */
  private Duration bodyBound() {
    return access == Access.HTTPS_NO_TOKEN ? Duration.ZERO : BODY_TIMEOUT;
  }

  /** A normal client is served at once while a slow one is connected: a write and a read, each well under a second. */
  private void servedWithoutDelay(int round) throws Exception {
    long t0 = System.nanoTime();
    assertEquals(204, admin("PUT", "/v1/kv/meanwhile", "m" + round).statusCode());
    assertEquals("m" + round, admin("GET", "/v1/kv/meanwhile", null).body());
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms < 1000, "a normal put and get took " + ms + " ms beside a slow client");
  }

  private static void assertAnsweredInTime(long startedNanos, Duration bound) {
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    assertTrue(ms >= bound.toMillis() - 100, "answered after " + ms + " ms, before its bound of " + bound.toMillis() + " ms");
    assertTrue(ms <= bound.plus(SLACK).toMillis(), "answered after " + ms + " ms, bound " + bound.toMillis() + " ms");
  }
}
