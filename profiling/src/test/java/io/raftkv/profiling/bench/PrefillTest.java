package io.raftkv.profiling.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pre-fill against a recording server: every key once, at most the writers at a time, progress lines, and bounded failures. */
@Timeout(120)
class PrefillTest {
  static {
    // The JDK server leaves Nagle's algorithm on: each answer would wait for the client's delayed
    // ACK (~40 ms). It reads this property once, when the first server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private static final int VALUE_BYTES = 1024;
  private HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) server.stop(0);
  }

  /** A system whose keys go into the path unchanged and whose puts are PUTs of the value. */
  private static BenchTarget target() {
    return new BenchTarget() {
      @Override public String name() { return "fake"; }
      @Override public URI leaderUrl() { throw new UnsupportedOperationException(); }
      @Override public List<NodeProcess> nodes() { return List.of(); }
      @Override public String encodeKey(String key) { return key; }
      @Override public RequestTemplate put(String value) { return new RequestTemplate("PUT", "/kv/" + RequestTemplate.KEY, Map.of(), value); }
      @Override public RequestTemplate get() { return new RequestTemplate("GET", "/kv/" + RequestTemplate.KEY, Map.of(), ""); }
      @Override public void close() {}
    };
  }

  private URI serve(com.sun.net.httpserver.HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.setExecutor(Executors.newFixedThreadPool(128, r -> {
      Thread t = new Thread(r, "prefill-test-server");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", handler);
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static void answer(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  /**
   * 20,000 keys of 16 bytes with 1 KiB values (20 MiB): each written whole, by at most 16 writers
   * at a time, and once, unless the pre-fill says it retried (a request that timed out on a busy
   * machine may have been applied too): the writes beyond one per key are at most the retries.
   */
  @Test
  void everyKeyIsWrittenOnceWithItsWholeValueAndProgressIsReported() throws IOException {
    List<String> keys = BenchRun.keys(20_000);
    String value = BenchRun.value(VALUE_BYTES, 1);
    Map<String, Integer> writes = new ConcurrentHashMap<>();
    List<String> bad = new CopyOnWriteArrayList<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    URI url = serve(exchange -> {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String key = exchange.getRequestURI().getPath().substring("/kv/".length());
        if (!exchange.getRequestMethod().equals("PUT") || !body.equals(value)) bad.add(key + ": " + body.length() + " bytes");
        writes.merge(key, 1, Integer::sum);
      } finally {
        // Out of flight before the answer leaves: once answered, the writer sends its next request at once, and it
        // could arrive while this handler had not yet counted itself out (a 17th "at a time" that the client never had).
        inFlight.decrementAndGet();
      }
      answer(exchange, 204);
    });
    List<String> lines = new CopyOnWriteArrayList<>();
    Prefill.run(target(), url, keys, target().put(value), lines::add, 16, Duration.ofMillis(100), Duration.ofSeconds(30));
    assertTrue(bad.isEmpty(), "requests unlike the template: " + bad.subList(0, Math.min(5, bad.size())));
    assertEquals(keys.size(), writes.size());
    String last = lines.get(lines.size() - 1);
    Matcher m = Pattern.compile("fake: pre-filled 20,000 keys in [0-9.]+ s \\([0-9,]+ keys/s, ([0-9,]+) requests retried\\)").matcher(last);
    assertTrue(m.matches(), last);
    long retried = Long.parseLong(m.group(1).replace(",", ""));
    // The client keeps at most 16 requests open; the server may still be working on one the client gave up on (its
    // 100 ms deadline passed) when the retry arrives, so it can see one more per retry, never more.
    assertTrue(mostInFlight.get() <= 16 + retried, "at most 16 at a time, plus one abandoned per retry (" + retried + "): " + mostInFlight.get());
    long extraWrites = writes.values().stream().mapToLong(n -> n - 1).sum();
    assertTrue(extraWrites <= retried, extraWrites + " keys written again with " + retried + " retries");
    System.out.println(lines.get(lines.size() - 1) + " (" + (lines.size() - 1) + " progress lines, " + mostInFlight.get() + " at most in flight)");
    for (String line : lines.subList(0, lines.size() - 1)) {
      assertTrue(line.matches("fake: pre-filling, [0-9,]+ of 20,000 keys \\([0-9]+%\\), [0-9,]+ keys/s"), line);
    }
  }

  @Test
  void aKeyTheSystemKeepsRefusingFailsThePrefillNamingIt() throws IOException {
    URI url = serve(exchange -> {
      exchange.getRequestBody().readAllBytes();
      answer(exchange, exchange.getRequestURI().getPath().endsWith("k000000000000042") ? 507 : 204);
    });
    IOException e = assertThrows(IOException.class, () -> Prefill.run(target(), url, BenchRun.keys(1_000), target().put("v"), line -> { },
        4, Duration.ofMillis(100), Duration.ofSeconds(30)));
    assertTrue(e.getMessage().startsWith("pre-filling fake failed after "), e.getMessage());
    assertTrue(e.getMessage().contains("/kv/k000000000000042: HTTP 507") && e.getMessage().contains("after 5 attempts"), e.getMessage());
  }

  @Test
  void aSystemThatStopsAnsweringFailsThePrefillOnceNothingMovesForTheStallLimit() throws IOException {
    AtomicInteger answered = new AtomicInteger();
    URI url = serve(exchange -> {
      exchange.getRequestBody().readAllBytes();
      if (answered.incrementAndGet() > 100) {
        try {
          release.await(60, TimeUnit.SECONDS); // hangs until the test ends: no more keys get written
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      }
      answer(exchange, 204);
    });
    long start = System.nanoTime();
    IOException e = assertThrows(IOException.class, () -> Prefill.run(target(), url, BenchRun.keys(10_000), target().put("v"), line -> { },
        8, Duration.ofMillis(200), Duration.ofSeconds(1)));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(e.getMessage().contains("no key written for 1 s"), e.getMessage());
    assertTrue(ms < 15_000, "gave up after " + ms + " ms");
  }
}
