package io.raftkv.http;

import static io.raftkv.node.InProcessNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.node.InProcessNodes;
import io.raftkv.node.RaftkvNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends without session headers, through a follower's gateway, while the leader is stopped: the
 * gateway retries them inside the cluster in its own sessions, so no append lands twice, and every
 * acknowledged one is there, in order.
 */
class GatewayExactlyOnceTest {
  private static final int WRITERS = 4;
  private static final int APPENDS_PER_WRITER = 120;

  @TempDir Path dir;
  private InProcessNodes nodes;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void stop() {
    if (nodes != null) nodes.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private int leaderSeenBy(RaftkvNode node) {
    try {
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(node.config().self().httpUrl() + "/health")).GET());
      if (r.statusCode() != 200) return 0;
      return HttpErrors.JSON.readTree(r.body()).get("leader").asInt();
    } catch (Exception e) {
      return 0;
    }
  }

  @Test
  void appendsThroughAFollowerDuringAFailoverLandOnceEach() throws Exception {
    nodes = new InProcessNodes(dir, 3);
    Map<Integer, RaftkvNode> byId = new HashMap<>();
    for (int id = 1; id <= 3; id++) {
      RaftkvNode node = nodes.start(id);
      new HttpGateway(node).bind().toCompletableFuture().join();
      byId.put(id, node);
    }
    int[] leader = {0};
    await("a leader", () -> (leader[0] = leaderSeenBy(byId.get(1))) != 0, Duration.ofSeconds(30));
    int follower = leader[0] % 3 + 1;
    String entry = byId.get(follower).config().self().httpUrl();

    // Each writer appends its own numbered tokens to its own key, one at a time, without session headers.
    Map<String, Boolean> acknowledged = new ConcurrentHashMap<>(); // token -> true when 204, false when unknown
    AtomicInteger acks = new AtomicInteger();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      Thread t = new Thread(() -> {
        for (int i = 0; i < APPENDS_PER_WRITER; i++) {
          String token = writer + "." + i + ";";
          try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(entry + "/v1/kv/log-" + writer + "/append"))
                .POST(HttpRequest.BodyPublishers.ofString(token)));
            acknowledged.put(token, r.statusCode() == 204);
            if (r.statusCode() == 204) acks.incrementAndGet();
          } catch (Exception e) {
            acknowledged.put(token, false);
          }
        }
      }, "writer-" + w);
      writers.add(t);
      t.start();
    }
    await("appends flowing", () -> acks.get() >= 60, Duration.ofSeconds(60));
    long stopped = System.nanoTime();
    nodes.stop(byId.get(leader[0]));
    for (Thread t : writers) t.join(Duration.ofSeconds(180).toMillis());
    for (Thread t : writers) assertTrue(!t.isAlive(), t.getName() + " did not finish");

    int unknown = 0;
    for (int w = 0; w < WRITERS; w++) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(entry + "/v1/kv/log-" + w)).GET());
      assertEquals(200, r.statusCode(), r.body());
      List<String> landed = new ArrayList<>();
      for (String token : r.body().split(";")) landed.add(token + ";");
      Map<String, Integer> times = new HashMap<>();
      for (String token : landed) times.merge(token, 1, Integer::sum);
      int last = -1;
      for (String token : landed) {
        assertEquals(1, times.get(token), "token " + token + " landed " + times.get(token) + " times");
        int n = Integer.parseInt(token.substring(token.indexOf('.') + 1, token.length() - 1));
        assertTrue(n > last, "token " + token + " landed out of order");
        last = n;
      }
      for (int i = 0; i < APPENDS_PER_WRITER; i++) {
        String token = w + "." + i + ";";
        Boolean ack = acknowledged.get(token);
        if (Boolean.TRUE.equals(ack)) assertTrue(times.containsKey(token), "acknowledged " + token + " is missing");
        else unknown++;
      }
    }
    System.out.printf("exactly-once: %d appends, %d acknowledged, %d unknown; leader %d stopped after >= %d acknowledged; the writers finished %d ms later%n",
        WRITERS * APPENDS_PER_WRITER, WRITERS * APPENDS_PER_WRITER - unknown, unknown, leader[0], 60,
        (System.nanoTime() - stopped) / 1_000_000);
    assertTrue(unknown < WRITERS * APPENDS_PER_WRITER / 2, "most appends should succeed through the failover, " + unknown + " did not");
  }
}
