package io.raftkv.profiling.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Writes every key once before the workloads run, so each read finds a value (etcd answers a missing key with 200, raftkv with 404). */
public final class Prefill {
  /** Concurrent writers. */
  static final int WRITERS = 16;
  /** Attempts per key before the pre-fill gives up. */
  static final int ATTEMPTS_PER_KEY = 5;
  /** Deadline of one request. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private Prefill() {}

  /** Writes {@code keys} with {@code put} at {@code url}; throws if a key could not be written. */
  public static void run(BenchTarget target, URI url, List<String> keys, RequestTemplate put, Consumer<String> progress) throws IOException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT).build();
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<Void>> writers = new java.util.ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int first = w;
        writers.add(pool.submit(() -> {
          for (int i = first; i < keys.size(); i += WRITERS) {
            write(http, target, url, put, target.encodeKey(keys.get(i)));
            done.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<Void> f : writers) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while pre-filling " + target.name(), e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("pre-filling " + target.name() + " failed after " + done.get() + " of " + keys.size() + " keys: "
          + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    progress.accept(target.name() + ": pre-filled " + keys.size() + " keys");
  }

  private static void write(HttpClient http, BenchTarget target, URI url, RequestTemplate put, String key) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve(put.pathFor(key))).timeout(REQUEST_TIMEOUT)
        .method(put.method(), HttpRequest.BodyPublishers.ofString(put.bodyFor(key)));
    put.headers().forEach(b::header);
    HttpRequest request = b.build();
    String last = "";
    for (int attempt = 1; attempt <= ATTEMPTS_PER_KEY; attempt++) {
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (target.success(r.statusCode())) return;
        last = "HTTP " + r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
    }
    throw new IOException(put.method() + " " + request.uri() + ": " + last + " (after " + ATTEMPTS_PER_KEY + " attempts)");
  }
}
