package io.raftkv.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A watch that resumes by itself: it streams {@code GET /v1/watch} from one node and, when that
 * node fails or goes away, goes on from another at the revision after the last one it delivered
 * (or was told by a progress line it had seen), so that no revision is missed or repeated. A
 * revision is delivered only once its whole line arrived. Runs on a daemon thread of its own until
 * {@link #close}, or until history no longer holds its next revision.
 */
public final class Watch implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RetryingCaller caller;
  private final String filterQuery;
  private final WatchListener listener;
  private final Backoff backoff;
  private final Duration headersTimeout;
  private final Thread thread;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile InputStream current;
  /** The next revision to ask for; 0 until the first node says where "now" is. */
  private volatile long nextRevision;

  Watch(RetryingCaller caller, String filterQuery, long fromRevision, WatchListener listener, ClientSettings settings, Random random,
      Duration headersTimeout) {
    this.caller = caller;
    this.filterQuery = filterQuery;
    this.listener = listener;
    this.nextRevision = fromRevision;
    this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), random);
    this.headersTimeout = headersTimeout;
    this.thread = new Thread(this::run, "raftkv-watch");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The next revision the watch will deliver: one after every revision it delivered. */
  public long nextRevision() {
    return nextRevision;
  }

  /** Waits until the watch ended (closed, or compacted); whether it did within {@code timeout}. */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    closed = true;
    InputStream stream = current;
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    thread.interrupt();
  }

  private void run() {
    try {
      List<URI> nodes = caller.nodes();
      int node = 0;
      while (!closed) {
        URI at = nodes.get(node % nodes.size());
        String reason;
        try {
          if (stream(at)) {
            return; // compacted: the watch cannot go on
          }
          reason = at + " ended the watch";
        } catch (IOException | RuntimeException e) {
          reason = at + ": " + e;
        }
        if (closed) {
          return;
        }
        listener.onReconnect(reason);
        node++;
        pause(backoff.nextNanos());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ended.countDown();
    }
  }

  /** Streams from {@code node} until it ends; true when it ended with the compacted line. */
  private boolean stream(URI node) throws IOException, InterruptedException {
    String start = nextRevision > 0 ? "&start_revision=" + nextRevision : "";
    HttpResponse<InputStream> response = caller.openStream(node, "/v1/watch?" + filterQuery + start, headersTimeout);
    current = response.body();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      if (response.statusCode() != 200) {
        throw new IOException("answered " + response.statusCode() + ": " + lines.readLine());
      }
      if (nextRevision == 0) {
        nextRevision = Long.parseLong(response.headers().firstValue("Raftkv-Revision").orElse("0")) + 1;
      }
      for (String line = lines.readLine(); line != null && !closed; line = lines.readLine()) {
        backoff.reset();
        JsonNode json = JSON.readTree(line);
        switch (json.path("type").asText()) {
          case "events" -> {
            long revision = json.get("revision").asLong();
            if (revision < nextRevision) {
              continue; // delivered already (never sent so by a node; kept safe)
            }
            listener.onRevision(revision, events(json.get("events")));
            nextRevision = revision + 1;
          }
          case "progress" -> {
            long revision = json.get("revision").asLong();
            nextRevision = Math.max(nextRevision, revision + 1);
            listener.onProgress(revision);
          }
          case "compacted" -> {
            listener.onCompacted(json.get("compactedRevision").asLong());
            return true;
          }
          default -> throw new IOException("an unknown line: " + line);
        }
      }
      return false;
    } finally {
      current = null;
    }
  }

  private static List<WatchEvent> events(JsonNode events) {
    List<WatchEvent> out = new ArrayList<>(events.size());
    for (JsonNode e : events) {
      boolean put = e.get("type").asText().equals("put");
      byte[] value = null;
      if (put) {
        value = e.has("value") ? e.get("value").asText().getBytes(StandardCharsets.UTF_8)
            : Base64.getDecoder().decode(e.get("valueBase64").asText());
      }
      out.add(new WatchEvent(put ? WatchEvent.Type.PUT : WatchEvent.Type.DELETE, e.get("key").asText(), value,
          e.get("createRevision").asLong(), e.get("modRevision").asLong(), e.get("version").asLong()));
    }
    return out;
  }

  /** Backoff between nodes, not synchronization: parks for {@code nanos} unless closed. */
  private void pause(long nanos) throws InterruptedException {
    long until = System.nanoTime() + nanos;
    for (long left = nanos; left > 0 && !closed; left = until - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
