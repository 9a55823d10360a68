package io.raftkv.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftkv.client.RaftkvAccessDeniedException;
import io.raftkv.client.RaftkvClient;
import io.raftkv.client.RaftkvUnavailableException;
import io.raftkv.security.CertificateAuthority;
import io.raftkv.security.PemFiles;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API with TLS and authentication on, on a real one-node cluster: HTTPS only; every endpoint
 * asked with no token, a wrong one, a malformed header, and the reader's, writer's and admin's
 * tokens gets 401 (with {@code WWW-Authenticate: Bearer}), 403 or its answer as the endpoint's
 * least role says, {@code /health} open to all; the refusals are counted in the request metric; a
 * session belongs to the token that opened it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpAuthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String READ_ONLY = "read-only";
  private static final String READ_WRITE = "read-write";
  private static final String ADMIN = "admin";
  private static final String OPEN = "open";

  /** One endpoint, the body it is sent, and the least role it needs. */
  private record Endpoint(String method, String path, String body, String role) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static final List<Endpoint> ENDPOINTS = List.of(
      new Endpoint("GET", "/v1/kv/k", null, READ_ONLY),
      new Endpoint("GET", "/v1/kv?prefix=k&limit=5", null, READ_ONLY),
      new Endpoint("GET", "/v1/cluster", null, READ_ONLY),
      new Endpoint("GET", "/v1/members", null, READ_ONLY),
      new Endpoint("GET", "/metrics", null, READ_ONLY),
      new Endpoint("PUT", "/v1/kv/k", "v", READ_WRITE),
      new Endpoint("POST", "/v1/kv/k/append", "w", READ_WRITE),
      new Endpoint("POST", "/v1/kv/k/cas?expected=vw", "x", READ_WRITE),
      new Endpoint("DELETE", "/v1/kv/gone", null, READ_WRITE),
      new Endpoint("POST", "/v1/session", null, READ_WRITE),
      // An admin's member changes that change nothing: a body without a member (400), a member that is not one (409).
      new Endpoint("POST", "/v1/members", "{}", ADMIN),
      new Endpoint("DELETE", "/v1/members/99", null, ADMIN),
      new Endpoint("POST", "/v1/members/99/promote", null, ADMIN),
      new Endpoint("GET", "/health", null, OPEN));

  @TempDir static Path dir;
  private OneNodeGateway node;

  @BeforeAll
  void start() throws Exception {
    node = OneNodeGateway.startSecure(dir, "");
    assertTrue(node.base().startsWith("https://"), node.base());
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private HttpResponse<String> as(String token, String method, String path, String body, String... headers) throws Exception {
    List<String> all = new ArrayList<>(List.of(headers));
    if (token != null) all.addAll(List.of("Authorization", token));
    return node.call(method, path, body, all.toArray(String[]::new));
  }

  private String bearer(String name) {
    return "Bearer " + node.token(name);
  }

  private static JsonNode jsonError(HttpResponse<String> r, int status, String what) throws Exception {
    assertEquals(status, r.statusCode(), what + ": " + r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), what + ": not JSON: " + r.headers());
    JsonNode json = JSON.readTree(r.body());
    assertTrue(json.path("error").isTextual() && json.path("detail").isTextual(), what + ": not {error, detail}: " + r.body());
    return json;
  }

  private static int rank(String role) {
    return switch (role) {
      case OPEN -> -1;
      case READ_ONLY -> 0;
      case READ_WRITE -> 1;
      default -> 2;
    };
  }

  @Test
  void everyEndpointAnswersEachCallerAsItsLeastRoleSays() throws Exception {
    String wrong = "Bearer rkv_" + "A".repeat(43);
    String[][] strangers = {{"no token", null}, {"a wrong token", wrong}, {"another scheme", "Basic YWRtaW46YWRtaW4="},
        {"a bare token", node.token(ADMIN)}, {"an empty bearer", "Bearer "}};
    for (Endpoint e : ENDPOINTS) {
      for (String[] s : strangers) {
        HttpResponse<String> r = as(s[1], e.method(), e.path(), e.body());
        String what = e + " with " + s[0];
        if (e.role().equals(OPEN)) {
          assertEquals(200, r.statusCode(), what);
          continue;
        }
        jsonError(r, 401, what);
        String challenge = r.headers().firstValue("www-authenticate").orElse("");
        assertTrue(challenge.startsWith("Bearer realm=\"raftkv\""), what + ": " + challenge);
        assertEquals(s[1] == wrong, challenge.contains("error=\"invalid_token\""), what + ": " + challenge);
        assertFalse(r.body().contains(node.token(ADMIN)) || r.body().contains("AAAA"), what + ": the answer echoes the token: " + r.body());
      }
      for (String caller : new String[] {"reader", "writer", "admin"}) {
        String role = caller.equals("reader") ? READ_ONLY : caller.equals("writer") ? READ_WRITE : ADMIN;
        HttpResponse<String> r = as(bearer(caller), e.method(), e.path(), e.body());
        String what = e + " as " + caller;
        if (rank(role) >= rank(e.role())) {
          assertTrue(r.statusCode() != 401 && r.statusCode() != 403 && r.statusCode() < 500, what + ": " + r.statusCode() + " " + r.body());
        } else {
          JsonNode error = jsonError(r, 403, what);
          assertEquals("forbidden", error.path("error").asText(), what);
          assertTrue(error.path("detail").asText().contains("'" + caller + "' has the role " + role)
              && error.path("detail").asText().endsWith("needs " + e.role()), what + ": " + error);
        }
      }
    }
  }

  @Test
  void whatThePermittedCallsDidIsWhatTheirRolesAllow() throws Exception {
    assertEquals(204, as(bearer("writer"), "PUT", "/v1/kv/mine", "w").statusCode());
    assertEquals("w", as(bearer("reader"), "GET", "/v1/kv/mine", null).body());
    assertEquals(403, as(bearer("reader"), "DELETE", "/v1/kv/mine", null).statusCode());
    assertEquals("w", as(bearer("admin"), "GET", "/v1/kv/mine", null).body(), "the reader's delete changed nothing");
    assertEquals(409, as(bearer("admin"), "DELETE", "/v1/members/99", null).statusCode(), "an admin's member change reaches the leader");
  }

  @Test
  void anUnknownPathIs401WithoutATokenAnd404WithOne() throws Exception {
    jsonError(as(null, "GET", "/nothing", null), 401, "no token");
    jsonError(as(bearer("reader"), "GET", "/nothing", null), 404, "the reader's");
    jsonError(as(bearer("reader"), "PATCH", "/v1/kv/k", "v"), 405, "a method no route takes");
  }

  @Test
  void twoAuthorizationHeadersAre400() throws Exception {
    jsonError(as(bearer("admin"), "GET", "/v1/kv/k", null, "Authorization", bearer("reader")), 400, "two tokens");
  }

  @Test
  void refusalsAreCountedByStatusInTheRequestMetric() throws Exception {
    as(null, "PUT", "/v1/kv/counted", "v");
    as(bearer("reader"), "PUT", "/v1/kv/counted", "v");
    String metrics = as(bearer("reader"), "GET", "/metrics", null).body();
    assertTrue(metrics.contains("raftkv_http_requests_total{route=\"PUT /v1/kv/{key}\",status=\"401\"}"), metrics);
    assertTrue(metrics.contains("raftkv_http_requests_total{route=\"PUT /v1/kv/{key}\",status=\"403\"}"), metrics);
  }

  @Test
  void aSessionBelongsToTheTokenThatOpenedIt() throws Exception {
    JsonNode opened = JSON.readTree(as(bearer("writer"), "POST", "/v1/session", null).body());
    long id = opened.path("clientId").asLong();
    String tag = opened.path("sessionTag").asText();
    assertTrue(id > 0 && tag.matches("[A-Za-z0-9_-]{22}"), opened.toString());
    Function<Integer, String[]> session = seq -> new String[] {"Raftkv-Client-Id", Long.toString(id), "Raftkv-Request-Seq", seq.toString()};

    assertEquals(204, as(bearer("writer"), "PUT", "/v1/kv/s", "1", with(session.apply(1), "Raftkv-Session-Tag", tag)).statusCode());
    JsonNode stolen = jsonError(as(bearer("admin"), "PUT", "/v1/kv/s", "2", with(session.apply(2), "Raftkv-Session-Tag", tag)), 403,
        "the admin's write in the writer's session");
    assertEquals("the session belongs to another identity, or the tag is wrong", stolen.path("detail").asText());
    jsonError(as(bearer("writer"), "PUT", "/v1/kv/s", "2", session.apply(2)), 403, "no tag");
    jsonError(as(bearer("writer"), "PUT", "/v1/kv/s", "2", with(session.apply(2), "Raftkv-Session-Tag", tag.substring(1) + "A")), 403,
        "a wrong tag");
    JsonNode other = JSON.readTree(as(bearer("writer"), "POST", "/v1/session", null).body());
    assertNotEquals(tag, other.path("sessionTag").asText());
    jsonError(as(bearer("writer"), "PUT", "/v1/kv/s", "2", with(session.apply(2), "Raftkv-Session-Tag", other.path("sessionTag").asText())),
        403, "the tag of another session");
    jsonError(as(bearer("writer"), "PUT", "/v1/kv/s", "2", with(session.apply(2), "Raftkv-Session-Tag", tag, "Raftkv-Session-Tag", tag)),
        400, "the tag twice");
    assertEquals("1", as(bearer("reader"), "GET", "/v1/kv/s", null).body(), "no refused write was applied");

    assertEquals(204, as(bearer("writer"), "PUT", "/v1/kv/s", "2", with(session.apply(2), "Raftkv-Session-Tag", tag)).statusCode());
    assertEquals("2", as(bearer("reader"), "GET", "/v1/kv/s", null).body());
  }

  @Test
  void theJavaClientSendsItsTokenAndItsSessionsTagAndTypesTheRefusals() throws Exception {
    java.nio.file.Path ca = dir.resolve("tls/ca.pem");
    Function<String, RaftkvClient.Builder> client = token -> {
      RaftkvClient.Builder b = RaftkvClient.builder(List.of(URI.create(node.base()))).caCertificate(ca).timeout(Duration.ofSeconds(10));
      return token == null ? b : b.token(node.token(token));
    };
    RaftkvClient writer = client.apply("writer").build();
    for (int i = 0; i < 3; i++) writer.put("java", ("v" + i).getBytes(StandardCharsets.UTF_8)); // one session, its tag on each write
    assertEquals("v2", new String(writer.get("java").orElseThrow(), StandardCharsets.UTF_8));

    RaftkvAccessDeniedException forbidden = assertThrows(RaftkvAccessDeniedException.class,
        () -> client.apply("reader").build().put("java", new byte[] {1}));
    assertEquals(403, forbidden.status());
    assertFalse(forbidden.unauthenticated() || forbidden.mayHaveTakenEffect(), forbidden.toString());
    RaftkvAccessDeniedException unknown = assertThrows(RaftkvAccessDeniedException.class, () -> client.apply(null).build().get("java"));
    assertTrue(unknown.unauthenticated(), unknown.toString());
    assertEquals("v2", new String(client.apply("reader").build().get("java").orElseThrow(), StandardCharsets.UTF_8));

    // A client that trusts another CA does not talk to the node: no handshake, nothing sent.
    java.nio.file.Path otherCa = dir.resolve("other-ca.pem");
    PemFiles.writeCertificates(otherCa, List.of(CertificateAuthority.create("another CA").certificate()));
    RaftkvClient stranger = RaftkvClient.builder(List.of(URI.create(node.base()))).caCertificate(otherCa).token(node.token("admin"))
        .timeout(Duration.ofSeconds(1)).build();
    RaftkvUnavailableException refused = assertThrows(RaftkvUnavailableException.class, () -> stranger.put("java", new byte[] {2}));
    assertTrue(refused.getMessage().contains("SSLHandshakeException") && !refused.mayHaveTakenEffect(), refused.getMessage());
    assertFalse(refused.getMessage().contains(node.token("admin")), "the token is in a message");
  }

  private static String[] with(String[] headers, String... more) {
    List<String> all = new ArrayList<>(List.of(headers));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void theApiIsHttpsOnlyTls13AndAClientCertificateIsNotNeeded() throws Exception {
    // Plain HTTP on the HTTPS port: no answer (the TLS stage takes it for a broken handshake and closes).
    RawHttp.Response plain;
    try {
      plain = RawHttp.exchange(node.port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    } catch (java.io.IOException closed) {
      plain = null;
    }
    assertEquals(null, plain, "a plain request was answered");
    SSLContext tls12 = SSLContext.getInstance("TLSv1.2");
    tls12.init(null, new javax.net.ssl.TrustManager[] {trustAll()}, null);
    assertThrows(javax.net.ssl.SSLException.class, () -> {
      try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tls12.getSocketFactory().createSocket("127.0.0.1", node.port)) {
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        s.startHandshake();
      }
    }, "TLS 1.2 is refused");
    RawHttp.Response health = RawHttp.exchange(node.port, node.tls, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertEquals(200, health.status(), health.toString());
  }

  /** A trust manager that trusts anything: only to reach the handshake's protocol check. */
  private static javax.net.ssl.X509TrustManager trustAll() {
    return new javax.net.ssl.X509TrustManager() {
      @Override
      public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

      @Override
      public java.security.cert.X509Certificate[] getAcceptedIssuers() {
        return new java.security.cert.X509Certificate[0];
      }
    };
  }
}
