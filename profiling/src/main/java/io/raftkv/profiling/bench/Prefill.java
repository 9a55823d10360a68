package io.raftkv.profiling.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Writes every key once before the workloads run, so each read finds a value (etcd answers a missing
 * key with 200, raftkv with 404). Millions of keys take minutes, so it is concurrent and bounded:
 * {@link #WRITERS} writers take the next key in turn, each over a kept-alive connection, each key is
 * tried at most {@link #ATTEMPTS_PER_KEY} times, a line of progress comes every {@link #PROGRESS_INTERVAL},
 * and the pre-fill gives up when no key was written for {@link #STALL_LIMIT}.
 *
 * <p>A key is written once unless a request fails: a request that timed out may still have been
 * applied, so its retry writes the key again (the same value, so the workloads see no difference).
 * The last line says how many requests were retried.
 */
public final class Prefill {
  /** Concurrent writers: enough to keep a leader's batches full, as the workloads at 64 connections do. */
  static final int WRITERS = 64;
  /** Attempts per key before the pre-fill gives up. */
  static final int ATTEMPTS_PER_KEY = 5;
  /** Deadline of one request. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** Time between progress lines. */
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
  /** No key written for this long: the system has stopped taking writes, and the pre-fill fails. */
  static final Duration STALL_LIMIT = Duration.ofSeconds(60);

  private Prefill() {}

  /** Writes {@code keys} with {@code put} at {@code url}; throws if a key could not be written. */
  public static void run(BenchTarget target, URI url, List<String> keys, RequestTemplate put, Consumer<String> progress) throws IOException {
    run(target, url, keys, put, progress, WRITERS, PROGRESS_INTERVAL, STALL_LIMIT);
  }

  /** The same with its bounds given (tests). */
  static void run(BenchTarget target, URI url, List<String> keys, RequestTemplate put, Consumer<String> progress, int writers,
      Duration progressInterval, Duration stallLimit) throws IOException {
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT);
    target.sslContext().ifPresent(builder::sslContext);
    HttpClient http = builder.build();
    AtomicInteger next = new AtomicInteger();
    AtomicLong done = new AtomicLong();
    AtomicLong retries = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers, r -> {
      Thread t = new Thread(r, "prefill-" + target.name());
      t.setDaemon(true); // never keeps the JVM alive after a failure
      return t;
    });
    long start = System.nanoTime();
    for (int w = 0; w < writers; w++) {
      pool.execute(() -> {
        try {
          for (int i = next.getAndIncrement(); i < keys.size() && failure.get() == null; i = next.getAndIncrement()) {
            write(http, target, url, put, target.encodeKey(keys.get(i)), retries);
            done.incrementAndGet();
          }
        } catch (IOException | RuntimeException e) {
          failure.compareAndSet(null, e);
        } catch (InterruptedException e) {
          failure.compareAndSet(null, e);
          Thread.currentThread().interrupt();
        }
      });
    }
    pool.shutdown(); // the writers finish their keys; nothing else runs here
    try {
      long lastDone = 0;
      long lastProgress = System.nanoTime();
      while (!pool.awaitTermination(progressInterval.toNanos(), TimeUnit.NANOSECONDS)) {
        long now = System.nanoTime();
        long written = done.get();
        progress.accept(String.format(Locale.ROOT, "%s: pre-filling, %,d of %,d keys (%d%%), %,.0f keys/s", target.name(), written,
            keys.size(), written * 100 / keys.size(), written / ((now - start) / 1e9)));
        if (written != lastDone) {
          lastDone = written;
          lastProgress = now;
        } else if (now - lastProgress > stallLimit.toNanos()) {
          failure.compareAndSet(null, new IOException("no key written for " + stallLimit.toSeconds() + " s"));
          pool.shutdownNow(); // the writers' requests are interrupted
          pool.awaitTermination(REQUEST_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
          break;
        }
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while pre-filling " + target.name(), e);
    }
    Exception failed = failure.get();
    if (failed != null) {
      throw new IOException("pre-filling " + target.name() + " failed after " + done.get() + " of " + keys.size() + " keys: "
          + failed.getMessage(), failed);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    progress.accept(String.format(Locale.ROOT, "%s: pre-filled %,d keys in %.1f s (%,.0f keys/s, %,d requests retried)", target.name(),
        keys.size(), seconds, keys.size() / seconds, retries.get()));
  }

  private static void write(HttpClient http, BenchTarget target, URI url, RequestTemplate put, String key, AtomicLong retries)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve(put.pathFor(key))).timeout(REQUEST_TIMEOUT)
        .method(put.method(), HttpRequest.BodyPublishers.ofString(put.bodyFor(key)));
    put.headers().forEach(b::header);
    HttpRequest request = b.build();
    String last = "";
    for (int attempt = 1; attempt <= ATTEMPTS_PER_KEY; attempt++) {
      if (attempt > 1) retries.incrementAndGet();
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
