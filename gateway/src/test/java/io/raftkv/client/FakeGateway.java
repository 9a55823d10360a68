package io.raftkv.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-test stand-in for a raftkv node: the HTTP contract of docs/API.md over a sorted map, with
 * sessions that answer a retried write from the session as the real state machine does. Binds
 * 127.0.0.1 on a free port. Faults to inject: 503 with Retry-After, dropping the connection before
 * or after applying, answering 503 to everything ("not me"), and never answering.
 */
public final class FakeGateway implements AutoCloseable {

  /** One request as received. */
  public record Request(String method, String path, String query, String clientId, String seq, byte[] body) {}

  private record Answer(int status, byte[] body, String header, String headerValue) {}

  private record Session(long lastSeq, Answer lastAnswer) {}

  static {
    // The JDK server leaves Nagle's algorithm on and writes a response's headers and body apart, so
    // every answer with a body waited for the client's delayed ACK (~40 ms at p99). It reads this
    // property once, when the first server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** Longer keys are refused with 413, as a node refuses keys over its limit. */
  public static final int KEY_BYTES_MAX = 100;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
    Thread t = new Thread(r, "fake-gateway");
    t.setDaemon(true);
    return t;
  });
  private final NavigableMap<String, byte[]> data = new TreeMap<>(); // guarded by this
  private final Map<Long, Session> sessions = new HashMap<>(); // guarded by this
  private long nextClientId = 17; // guarded by this
  private long quotaBytes = Long.MAX_VALUE; // guarded by this
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger unavailable = new AtomicInteger();
  private volatile int retryAfterSeconds;
  private final AtomicInteger dropBefore = new AtomicInteger();
  private final AtomicInteger dropAfter = new AtomicInteger();
  private volatile boolean notMe;
  private volatile boolean hang;
  private volatile String faultPrefix = "/";
  private volatile String requiredToken;
  private volatile boolean readOnlyToken;
  private final CountDownLatch released = new CountDownLatch(1);

  public FakeGateway() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL, {@code http://127.0.0.1:PORT}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next {@code count} requests get 503 with {@code Retry-After: seconds}. */
  public FakeGateway unavailableFor(int count, int seconds) {
    retryAfterSeconds = seconds;
    unavailable.set(count);
    return this;
  }

  /** The next {@code count} requests are read, not applied, and their connection closed unanswered. */
  public FakeGateway dropBeforeApplying(int count) {
    dropBefore.set(count);
    return this;
  }

  /** The next {@code count} writes are applied, then their connection closed unanswered. */
  public FakeGateway dropAfterApplying(int count) {
    dropAfter.set(count);
    return this;
  }

  /** Every request gets 503 with Retry-After 0: a node that knows no leader. */
  public FakeGateway notMe() {
    notMe = true;
    return this;
  }

  /**
   * Every request but {@code /health} must carry {@code Authorization: Bearer token}, else 401 with
   * {@code WWW-Authenticate}; with {@code readOnly}, anything but a GET then gets 403, as a node's
   * read-only token does.
   */
  public FakeGateway requireToken(String token, boolean readOnly) {
    readOnlyToken = readOnly;
    requiredToken = token;
    return this;
  }

  /** Faults hit only requests whose path starts with {@code prefix} (default: every request). */
  public FakeGateway faultsOnly(String prefix) {
    faultPrefix = prefix;
    return this;
  }

  /** Once the keys' UTF-8 bytes plus the values' bytes are over {@code bytes}, every put, append and cas gets 507. */
  public synchronized FakeGateway quotaBytes(long bytes) {
    quotaBytes = bytes;
    return this;
  }

  private long stateBytes() {
    long bytes = 0;
    for (Map.Entry<String, byte[]> e : data.entrySet()) bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().length;
    return bytes;
  }

  /** Requests are held unanswered until {@link #close()}. */
  public FakeGateway hang() {
    hang = true;
    return this;
  }

  /** Every request received so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The value stored under {@code key}, or null. */
  public synchronized byte[] value(String key) {
    byte[] v = data.get(key);
    return v == null ? null : v.clone();
  }

  public synchronized void store(String key, String value) {
    data.put(key, value.getBytes(StandardCharsets.UTF_8));
  }

  public synchronized int size() {
    return data.size();
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = readBody(ex.getRequestBody());
      URI uri = ex.getRequestURI();
      Request request = new Request(ex.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
          ex.getRequestHeaders().getFirst("Raftkv-Client-Id"), ex.getRequestHeaders().getFirst("Raftkv-Request-Seq"),
          body);
      requests.add(request);
      String token = requiredToken;
      if (token != null && !request.path().equals("/health")) {
        if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
          ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"raftkv\"");
          send(ex, json(401, "unauthorized", "this API needs a token: Authorization: Bearer <token>"));
          return;
        }
        if (readOnlyToken && !request.method().equals("GET")) {
          send(ex, json(403, "forbidden", "the token 'reader' has the role read-only; " + request.method() + " needs read-write"));
          return;
        }
      }
      if (!request.path().startsWith(faultPrefix)) {
        send(ex, answer(request));
        return;
      }
      if (hang) {
        released.await();
        return;
      }
      if (notMe || takeOne(unavailable)) {
        ex.getResponseHeaders().add("Retry-After", Integer.toString(notMe ? 0 : retryAfterSeconds));
        send(ex, json(503, "unavailable", "no leader answered in time"));
        return;
      }
      if (takeOne(dropBefore)) {
        return; // closing an exchange without response headers closes the connection
      }
      boolean write = !request.method().equals("GET");
      Answer answer = answer(request);
      if (write && takeOne(dropAfter)) {
        return;
      }
      send(ex, answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean takeOne(AtomicInteger counter) {
    return counter.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  private synchronized Answer answer(Request r) {
    String path = r.path();
    Map<String, String> query = query(r.query());
    if (path.equals("/health") && r.method().equals("GET")) {
      return new Answer(200, "{}".getBytes(StandardCharsets.UTF_8), null, null);
    }
    if (path.equals("/v1/session") && r.method().equals("POST")) {
      long id = nextClientId++;
      sessions.put(id, new Session(0, null));
      return new Answer(200, ("{\"clientId\": " + id + "}").getBytes(StandardCharsets.UTF_8), null, null);
    }
    if (path.equals("/v1/cluster") && r.method().equals("GET")) {
      String json = "{\"leader\":1,\"term\":3,\"nodes\":["
          + "{\"id\":1,\"http\":\"" + url() + "\",\"role\":\"LEADER\",\"term\":3,\"commitIndex\":10,"
          + "\"appliedIndex\":10,\"reachable\":true,\"stateBytes\":2684354560,\"quotaBytes\":2147483648,\"quotaAlarm\":true},"
          + "{\"id\":2,\"http\":\"http://127.0.0.1:1\",\"role\":\"FOLLOWER\",\"term\":3,\"commitIndex\":9,"
          + "\"appliedIndex\":8,\"reachable\":false}]}";
      return new Answer(200, json.getBytes(StandardCharsets.UTF_8), null, null);
    }
    if (path.equals("/v1/kv") && r.method().equals("GET")) {
      return scan(query.getOrDefault("prefix", ""), Integer.parseInt(query.getOrDefault("limit", "1000")));
    }
    if (!path.startsWith("/v1/kv/")) {
      return json(404, "not-found", "no route " + path);
    }
    String rest = path.substring("/v1/kv/".length());
    String op = "";
    if (rest.endsWith("/append") || rest.endsWith("/cas")) {
      op = rest.substring(rest.lastIndexOf('/') + 1);
      rest = rest.substring(0, rest.lastIndexOf('/'));
    }
    if (rest.isEmpty() || rest.contains("/")) {
      return json(400, "bad-request", "bad key segment " + rest);
    }
    String key = decode(rest);
    if (key.getBytes(StandardCharsets.UTF_8).length > KEY_BYTES_MAX) {
      return json(413, "too-large", "key over " + KEY_BYTES_MAX + " bytes");
    }
    if (r.method().equals("GET") && op.isEmpty()) {
      byte[] v = data.get(key);
      return v == null ? new Answer(404, new byte[0], null, null) : new Answer(200, v, null, null);
    }
    // a write: through its session when it names one, as the state machine does
    Session session = null;
    long seq = 0;
    if (r.clientId() != null) {
      long id = Long.parseLong(r.clientId());
      seq = Long.parseLong(r.seq());
      session = sessions.get(id);
      if (session == null) {
        return json(400, "session-expired", "no session " + id);
      }
      if (seq == session.lastSeq()) {
        return session.lastAnswer();
      }
      if (seq < session.lastSeq()) {
        return json(400, "stale-request", seq + " < " + session.lastSeq());
      }
    }
    Answer answer = write(r.method(), op, key, r.body(), query);
    if (session != null) {
      sessions.put(Long.parseLong(r.clientId()), new Session(seq, answer));
    }
    return answer;
  }

  private Answer write(String method, String op, String key, byte[] body, Map<String, String> query) {
    if (!method.equals("DELETE") && stateBytes() > quotaBytes) {
      // the real state machine refuses only writes that would grow the state; this fake, every put, append and cas
      String json = "{\"error\":\"quota exceeded\",\"detail\":\"the state is " + stateBytes() + " bytes, over raftkv.kv.quota-bytes = "
          + quotaBytes + " bytes\",\"stateBytes\":" + stateBytes() + ",\"quotaBytes\":" + quotaBytes + "}";
      return new Answer(507, json.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    }
    if (method.equals("PUT") && op.isEmpty()) {
      data.put(key, body);
      return new Answer(204, new byte[0], null, null);
    }
    if (method.equals("DELETE") && op.isEmpty()) {
      return data.remove(key) == null ? json(404, "not-found", key) : new Answer(204, new byte[0], null, null);
    }
    if (method.equals("POST") && op.equals("append")) {
      byte[] old = data.getOrDefault(key, new byte[0]);
      byte[] joined = Arrays.copyOf(old, old.length + body.length);
      System.arraycopy(body, 0, joined, old.length, body.length);
      data.put(key, joined);
      return new Answer(204, new byte[0], null, null);
    }
    if (method.equals("POST") && op.equals("cas")) {
      byte[] current = data.get(key);
      String expected = query.get("expected");
      boolean matches = expected == null ? current == null
          : current != null && Arrays.equals(current, expected.getBytes(StandardCharsets.UTF_8));
      if (!matches) {
        return current == null ? new Answer(409, new byte[0], "Raftkv-Missing", "true")
            : new Answer(409, current, null, null);
      }
      data.put(key, body);
      return new Answer(204, new byte[0], null, null);
    }
    return json(400, "bad-request", method + " " + op);
  }

  private Answer scan(String prefix, int limit) {
    StringBuilder sb = new StringBuilder("{\"entries\":[");
    int n = 0;
    boolean truncated = false;
    for (Map.Entry<String, byte[]> e : data.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      if (n == limit) {
        truncated = true;
        break;
      }
      sb.append(n++ == 0 ? "" : ",").append("{\"key\":\"").append(e.getKey().replace("\"", "\\\""))
          .append("\",\"value\":\"").append(Base64.getEncoder().encodeToString(e.getValue())).append("\"}");
    }
    sb.append("],\"truncated\":").append(truncated).append('}');
    return new Answer(200, sb.toString().getBytes(StandardCharsets.UTF_8), null, null);
  }

  private static Answer json(int status, String error, String detail) {
    String body = "{\"error\":\"" + error + "\",\"detail\":\"" + detail.replace("\"", "'") + "\"}";
    return new Answer(status, body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
  }

  private static void send(HttpExchange ex, Answer a) throws IOException {
    if (a.header() != null) {
      ex.getResponseHeaders().add(a.header(), a.headerValue());
    }
    ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
    if (a.body().length > 0) {
      ex.getResponseBody().write(a.body());
    }
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(1 << 20);
    if (in.read() != -1) {
      throw new IOException("request body over the fake's 1 MiB");
    }
    return body;
  }

  /** Query parameters, percent-decoded; a parameter present without {@code =} maps to "". */
  static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      out.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return out;
  }

  /** Percent-decoding as in a URL path: a {@code +} is a plus, not a space. */
  static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** A list of the {@code Raftkv-Request-Seq} values of the requests whose path is {@code path}. */
  public List<String> seqsOf(String path) {
    List<String> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.path().equals(path)) {
        out.add(r.seq());
      }
    }
    return out;
  }
}
