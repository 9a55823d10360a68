package io.raftkv.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftkv.client.Lock;
import io.raftkv.client.RaftkvClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases and the lock recipe through the HTTP API and the Java client on a real one-node cluster:
 * keys put with a lease go when it is revoked, or when it is not kept alive for its TTL (the
 * leader's expiry, seen by a watch as one revision); a lock taken by four threads in turn is held
 * by one at a time, with growing fencing tokens.
 */
@Timeout(120)
class HttpLeaseTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void keysOfALeaseGoWhenItIsRevokedOrRunsOut() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir, "")) {
      HttpResponse<String> granted = node.call("POST", "/v1/lease", "{\"ttlSeconds\": 2}");
      assertEquals(200, granted.statusCode(), granted.body());
      long lease = JSON.readTree(granted.body()).get("id").asLong();
      assertEquals(204, node.call("PUT", "/v1/kv/a?lease=" + lease, "1").statusCode());
      assertEquals(204, node.call("PUT", "/v1/kv/b?lease=" + lease, "2").statusCode());
      assertEquals(404, node.call("PUT", "/v1/kv/c?lease=999999", "3").statusCode(), "no such lease");
      assertEquals(400, node.call("PUT", "/v1/kv/c?lease=x", "3").statusCode());
      assertEquals(400, node.call("POST", "/v1/lease", "{\"ttlSeconds\": 1}").statusCode(), "below 2 s");
      HttpResponse<String> kept = node.call("POST", "/v1/lease/" + lease + "/keep-alive", null);
      assertEquals(200, kept.statusCode());
      assertEquals(2, JSON.readTree(kept.body()).get("ttlSeconds").asLong());

      // Not kept alive any more: the leader expires it about 2 s after the keep-alive, both keys at one revision.
      try (WatchLines watch = new WatchLines(node.base() + "/v1/watch?prefix=")) {
        long started = System.nanoTime();
        JsonNode expired = watch.nextEvents(WAIT);
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals(2, expired.get("events").size(), expired.toString());
        assertEquals("delete", expired.get("events").get(0).get("type").asText());
        assertEquals("delete", expired.get("events").get(1).get("type").asText());
        assertTrue(ms >= 1_000, "expired after " + ms + " ms, well before its TTL");
      }
      assertEquals(404, node.call("GET", "/v1/kv/a", null).statusCode());
      assertEquals(404, node.call("POST", "/v1/lease/" + lease + "/keep-alive", null).statusCode(), "gone");

      long second = JSON.readTree(node.call("POST", "/v1/lease", "{\"ttlSeconds\": 60}").body()).get("id").asLong();
      node.call("PUT", "/v1/kv/d?lease=" + second, "4");
      assertEquals(204, node.call("DELETE", "/v1/lease/" + second, null).statusCode());
      assertEquals(404, node.call("GET", "/v1/kv/d", null).statusCode());
      assertEquals(404, node.call("DELETE", "/v1/lease/" + second, null).statusCode());
    }
  }

  @Test
  void aLockIsHeldByOneAtATimeWithGrowingFencingTokens() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir, "")) {
      RaftkvClient client = RaftkvClient.builder(List.of(URI.create(node.base()))).timeout(Duration.ofSeconds(10)).build();
      List<long[]> held = Collections.synchronizedList(new ArrayList<>()); // {token, from, to} in nanoseconds
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> holders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          holders.add(pool.submit(() -> {
            for (int round = 0; round < 3; round++) {
              try (Lock lock = client.withNewSession().lock("shared", Duration.ofSeconds(5))) {
                long from = System.nanoTime();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // hold it a while: the work the lock guards
                held.add(new long[] {lock.fencingToken(), from, System.nanoTime()});
                assertFalse(lock.lost().isDone(), "lost while held");
              }
            }
            return null;
          }));
        }
        for (Future<?> h : holders) {
          h.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      List<long[]> byToken = new ArrayList<>(held);
      byToken.sort((x, y) -> Long.compare(x[0], y[0]));
      assertEquals(12, byToken.size());
      for (int i = 1; i < byToken.size(); i++) {
        assertTrue(byToken.get(i)[0] > byToken.get(i - 1)[0], "tokens grow");
        assertTrue(byToken.get(i)[1] >= byToken.get(i - 1)[2], "holder " + i + " began before the one before it ended");
      }
      assertEquals(404, node.call("GET", "/v1/kv/" + java.net.URLEncoder.encode(Lock.key("shared"), StandardCharsets.UTF_8), null).statusCode(),
          "released: the key is gone");
    }
  }
}
