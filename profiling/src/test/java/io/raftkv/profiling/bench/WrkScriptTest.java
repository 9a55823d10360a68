package io.raftkv.profiling.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
      Path script = Files.writeString(dir.resolve("mixed.lua"), WrkScript.render(new Workload(Workload.Kind.MIXED, 2), keys, put, get, 7));
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
}
