package io.raftkv.profiling.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

class WrkScriptTest {
  @TempDir Path dir;

  @Test
  void luaLiteralsEscapeQuotesBackslashesAndControlBytes() {
    assertEquals("\"a\\\"b\\\\c\\010d\"", WrkScript.lua("a\"b\\c\nd"));
    assertEquals("\"/v1/kv/\" .. k .. \"\"", WrkScript.splice("/v1/kv/{key}"));
    assertEquals("\"{\\\"key\\\":\\\"\" .. k .. \"\\\"}\"", WrkScript.splice("{\"key\":\"{key}\"}"));
  }

  @Test
  void theResultLineIsFoundInWrksOutput() throws IOException {
    WrkResult r = WrkResult.parse("Running 1s test @ http://127.0.0.1:1\n  2 threads and 4 connections\n"
        + "{\"requests\":2000,\"duration_us\":1000000,\"connect_errors\":0,\"read_errors\":1,\"write_errors\":0,\"status_errors\":100,"
        + "\"timeouts\":2,\"p50_us\":450,\"p99_us\":1900,\"max_us\":5000}\n");
    assertEquals(1900.0, r.throughput(), 1e-9); // failed statuses do not count as throughput
    assertEquals(103, r.errors());
    assertEquals(450, r.p50Micros());
    assertThrows(IOException.class, () -> WrkResult.parse("no result here"));
  }

  static boolean wrkInstalled() {
    return Tools.find("wrk").isPresent();
  }

  /** wrk runs the script against a recording server: the requests are the templates', over the keys, in the mix asked for. */
  @Test
  @EnabledIf("wrkInstalled")
  void wrkSendsTheTemplatesRequestsInTheWorkloadsMix() throws IOException {
    AtomicLong puts = new AtomicLong();
    AtomicLong gets = new AtomicLong();
    Set<String> bad = ConcurrentHashMap.newKeySet();
    Set<String> keysSeen = ConcurrentHashMap.newKeySet();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String key = path.substring(path.lastIndexOf('/') + 1);
      keysSeen.add(key);
      if (exchange.getRequestMethod().equals("PUT") && body.equals("v-" + key)
          && "application/octet-stream".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
        puts.incrementAndGet();
      } else if (exchange.getRequestMethod().equals("GET") && body.isEmpty()) {
        gets.incrementAndGet();
      } else {
        bad.add(exchange.getRequestMethod() + " " + path + " " + body);
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    try {
      List<String> keys = List.of("k1", "k2", "k3");
      RequestTemplate put = new RequestTemplate("PUT", "/kv/{key}", Map.of("Content-Type", "application/octet-stream"), "v-{key}");
      RequestTemplate get = new RequestTemplate("GET", "/kv/{key}", Map.of(), "");
      Path keysFile = dir.resolve("keys.txt");
      WrkScript.writeKeys(keysFile, keys);
      Path script = Files.writeString(dir.resolve("mixed.lua"),
          WrkScript.render(new Workload(Workload.Kind.MIXED, 2), keysFile, keys, put, get, 7));
      assertTrue(Files.readString(script).contains("pre-formatted requests"), "3 small keys are pre-formatted");
      WrkResult r = new Wrk(Tools.find("wrk").orElseThrow().toString())
          .run(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), 2, script, Duration.ofSeconds(1));
      assertTrue(bad.isEmpty(), "requests unlike the templates: " + bad);
      assertEquals(Set.of("k1", "k2", "k3"), keysSeen);
      long total = puts.get() + gets.get();
      assertTrue(total >= 100, "too few requests to judge the mix: " + total);
      double putShare = puts.get() / (double) total;
      assertTrue(putShare > 0.6 && putShare < 0.8, "70% puts asked for, " + Math.round(putShare * 100) + "% sent");
      assertEquals(0, r.errors(), r.toString());
      assertTrue(r.requests() >= total - 2 && r.p50Micros() > 0 && r.p50Micros() <= r.p99Micros(), r.toString());
    } finally {
      server.stop(0);
    }
  }

  /** Keys {@code k} and 15 digits, as the benchmark's, encoded as raftkv does (unchanged). */
  private static List<String> keys(int count) {
    return BenchRun.keys(count);
  }

  private static RequestTemplate raftkvPut(int valueBytes) {
    return new RequestTemplate("PUT", "/kv/{key}", Map.of("Content-Type", "application/octet-stream"), "v".repeat(valueBytes));
  }

  @Test
  void theDefaultsArePreformattedAndMillionsOfKibibyteValuesAreSpliced() throws IOException {
    RequestTemplate get = new RequestTemplate("GET", "/kv/{key}", Map.of(), "");
    Workload mixed = new Workload(Workload.Kind.MIXED, 64);
    // 10,000 keys of 100-byte values: about 4 MiB of requests per wrk thread
    assertTrue(WrkScript.preformatted(mixed, keys(10_000), raftkvPut(100), get));
    // 2,000,000 keys of 1 KiB: gigabytes per thread
    List<String> many = keys(2_000_000);
    assertFalse(WrkScript.preformatted(mixed, many, raftkvPut(1024), get));
    String script = WrkScript.render(mixed, dir.resolve("keys.txt"), many, raftkvPut(1024), get, 1);
    assertTrue(script.contains("2000000 keys, spliced requests") && script.contains("local key_count = 2000000")
        && script.contains("string.rep(\"\\001\", 16)") && script.contains("return splice(puts, k)"), script);
    assertFalse(script.contains("k000000000000001"), "keys come from the file, not the script");
    // reads alone of 2,000,000 keys: about 250 MiB, spliced too
    assertFalse(WrkScript.preformatted(new Workload(Workload.Kind.GET, 1), many, raftkvPut(1024), get));
  }

  @Test
  void splicedRequestsNeedKeysOfOneLengthAndKeyFilesOneKeyPerLine() {
    List<String> uneven = new java.util.ArrayList<>(keys(100_000));
    uneven.set(7, "short");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WrkScript.render(new Workload(Workload.Kind.PUT, 1),
        dir.resolve("k.txt"), uneven, raftkvPut(1024), raftkvPut(0), 1));
    assertTrue(e.getMessage().contains("keys of one length"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WrkScript.writeKeys(dir.resolve("bad.txt"), List.of("a", "b\nc")));
  }

  /**
   * Spliced requests on the wire: 100,000 keys of 16 bytes with 1 KiB values (over the pre-format
   * bound), raftkv's shape (the key in the path) and etcd's (the key in the JSON body): every request
   * carries a key of the file and a body of the right length, so the Content-Length wrk computed for
   * the placeholder holds.
   */
  @Test
  @EnabledIf("wrkInstalled")
  void splicedRequestsCarryTheirKeyAndAWholeBody() throws IOException {
    List<String> keys = keys(100_000);
    Path keysFile = dir.resolve("keys.txt");
    WrkScript.writeKeys(keysFile, keys);
    Set<String> known = Set.copyOf(keys);
    String value = "x".repeat(1024);
    AtomicLong good = new AtomicLong();
    Set<String> bad = ConcurrentHashMap.newKeySet();
    Set<String> keysSeen = ConcurrentHashMap.newKeySet();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String key = path.startsWith("/kv/") ? path.substring(4) : body.replaceAll("^\\{\"key\":\"([^\"]*)\".*$", "$1");
      boolean shape = path.startsWith("/kv/") ? body.equals(value) : body.equals("{\"key\":\"" + key + "\",\"value\":\"" + value + "\"}");
      if (known.contains(key) && shape) {
        good.incrementAndGet();
        keysSeen.add(key);
      } else {
        bad.add(exchange.getRequestMethod() + " " + path + " " + body.length() + " bytes: " + body.substring(0, Math.min(60, body.length())));
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      RequestTemplate get = new RequestTemplate("GET", "/kv/{key}", Map.of(), "");
      RequestTemplate inPath = new RequestTemplate("PUT", "/kv/{key}", Map.of("Content-Type", "application/octet-stream"), value);
      RequestTemplate inBody = new RequestTemplate("POST", "/put", Map.of("Content-Type", "application/json"),
          "{\"key\":\"{key}\",\"value\":\"" + value + "\"}");
      for (RequestTemplate put : List.of(inPath, inBody)) {
        Workload workload = new Workload(Workload.Kind.PUT, 2);
        String text = WrkScript.render(workload, keysFile, keys, put, get, 3);
        assertTrue(text.contains("spliced requests"), "over the pre-format bound");
        Path script = Files.writeString(dir.resolve(put.method() + ".lua"), text);
        long before = good.get();
        WrkResult r = new Wrk(Tools.find("wrk").orElseThrow().toString()).run(url, 2, script, Duration.ofSeconds(1));
        assertTrue(bad.isEmpty(), "requests unlike the template: " + bad);
        assertTrue(good.get() - before >= 100, "too few requests: " + (good.get() - before));
        assertEquals(0, r.errors(), r.toString());
      }
      assertTrue(keysSeen.size() > 150, "keys picked at random from the 100,000: " + keysSeen.size());
    } finally {
      server.stop(0);
    }
  }
}
