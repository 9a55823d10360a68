package io.raftkv.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftkv.client.RaftkvClient;
import io.raftkv.client.RaftkvException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line, driven by a hand-moved clock. */
class ProgressReporterTest {
  @Test
  void eachTickShowsTheRateSinceThePreviousOneAndFinishTheOverallRate() {
    AtomicLong clock = new AtomicLong(5_000_000_000L);
    PhaseStats stats = new PhaseStats();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ProgressReporter progress = new ProgressReporter("put", 4000,
        stats, new PrintStream(buf, true, StandardCharsets.UTF_8), clock::get);
    for (int i = 0; i < 1200; i++) {
      stats.ok(1_000);
    }
    RaftkvException error = anError();
    for (int i = 0; i < 3; i++) {
      stats.error(error);
    }
    clock.addAndGet(1_000_000_000L);
    progress.tick();
    for (int i = 0; i < 800; i++) {
      stats.ok(1_000);
    }
    clock.addAndGet(2_000_000_000L);
    progress.tick();
    clock.addAndGet(1_000_000_000L);
    progress.finish();
    progress.tick(); // after the end: nothing
    assertEquals(String.join("\n",
        "put: 1203/4000 ops, 1203 ops/s, 3 errors",
        "put: 2003/4000 ops, 400 ops/s, 3 errors",
        "put: 2003/4000 ops, 501 ops/s, 3 errors, done in 4000 ms", ""), buf.toString(StandardCharsets.UTF_8));
  }

  /** A real one: the exceptions' constructors are the client's own. */
  private static RaftkvException anError() {
    try {
      RaftkvClient.builder(List.of(URI.create("http://127.0.0.1:1"))).timeout(Duration.ofMillis(50)).attemptsMax(1)
          .build().get("k");
      throw new AssertionError("port 1 answered");
    } catch (RaftkvException e) {
      return e;
    }
  }
}
