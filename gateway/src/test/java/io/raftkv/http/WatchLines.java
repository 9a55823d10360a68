package io.raftkv.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A watch's response read line by line on a thread of its own, each line taken with a deadline. */
final class WatchLines implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What the reader puts when the stream ended. */
  private static final String END = "\u0000end";

  final int status;
  final HttpResponse<InputStream> response;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  WatchLines(String url) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    status = response.statusCode();
    reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        // closed: the end
      } finally {
        lines.add(END);
      }
    }, "watch-lines");
    reader.setDaemon(true);
    reader.start();
  }

  /** The next line as JSON, or null when the stream ended; fails after {@code deadline}. */
  JsonNode next(Duration deadline) throws Exception {
    String line = lines.poll(deadline.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError("no line within " + deadline);
    }
    return line.equals(END) ? null : JSON.readTree(line);
  }

  /** The next line that is not a progress line. */
  JsonNode nextEvents(Duration deadline) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      JsonNode line = next(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
      if (line == null || !line.get("type").asText().equals("progress")) {
        return line;
      }
    }
  }

  @Override
  public void close() throws java.io.IOException {
    response.body().close();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
