package io.raftkv.gatling;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A read-heavy workload over a fixed key space: before the measured run, a pre-fill writes every key
 * {@code key_0} .. {@code key_<keys-1>} once (plain java.net.http, {@code min(users, 64)} writers,
 * round-robin over the URLs; not part of the report), then each operation is a get (95%) or a put
 * (5%) of a key drawn uniformly from the key space. Every key exists, so a get must answer 200.
 * Settings: {@link LoadSettings} ({@code keys} is the key space).
 */
public class ReadHeavySimulation extends RaftkvSimulation {
  /** Percentage of operations that are puts. */
  public static final int PUT_PERCENT = 5;
  /** How long one pre-fill write may take (a leader election included). */
  private static final Duration PREFILL_TIMEOUT = Duration.ofSeconds(30);

  {
    run(population("read-heavy", operations((session, random, user, op) -> {
      boolean put = random.nextInt(100) < PUT_PERCENT;
      return session.set("key", "key_" + random.nextInt(settings.keys())).set("put", put)
          .set("value", put ? settings.value(random) : new byte[0]);
    }, get(200))));
  }

  @Override
  protected void prepare() {
    int keys = settings.keys();
    int writers = Math.min(settings.users(), 64);
    List<String> urls = settings.urls();
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    Credentials.sslContext().ifPresent(builder::sslContext);
    HttpClient client = builder.build();
    Optional<String> token = Credentials.token();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    try {
      List<Future<Void>> done = new java.util.ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        Random random = settings.randomFor(-1 - writer);
        String url = urls.get(writer % urls.size());
        done.add(pool.submit(() -> {
          for (int k = next.getAndIncrement(); k < keys; k = next.getAndIncrement()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/v1/kv/key_" + k)).timeout(PREFILL_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(settings.value(random)));
            token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
            HttpRequest put = b.build();
            HttpResponse<String> r = client.send(put, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 204) {
              throw new IOException("pre-fill: PUT " + put.uri() + " answered " + r.statusCode() + ": " + r.body());
            }
          }
          return null;
        }));
      }
      for (Future<Void> f : done) f.get();
    } catch (Exception e) {
      throw new IllegalStateException("pre-fill of " + keys + " keys failed: " + e.getMessage(), e);
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("pre-fill: %d keys written in %d ms%n", keys, (System.nanoTime() - start) / 1_000_000);
  }
}
