package io.raftkv.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded, randomized fuzzer of the gateway's HTTP/1.x (docs/API.md: bad input never gets a 5xx):
 * {@link HttpFuzzCase}s sent over raw sockets to a one-node gateway on 127.0.0.1. No answer may be
 * a 5xx, every answer must parse as HTTP, and the node must still answer {@code GET /health}
 * after the run. The summary (statuses by count, connections closed without an answer) is in
 * Surefire's output file of this class.
 *
 * <p>{@code -Draftkv.fuzz.requests=N} sends cases until they hold N requests (default 3,000);
 * {@code -Draftkv.fuzz.seed=S} (default 1) starts elsewhere: case i has seed S + i, so a failing
 * case replays alone with its own seed and {@code -Draftkv.fuzz.requests=1}, the command printed
 * beside it. Timing may still differ between runs (a 408 for a case cut short, say), the bytes not.
 */
class HttpFuzzTest {
  private static final int REQUESTS = Integer.getInteger("raftkv.fuzz.requests", 3000);
  /** Fixed by default, as the suite's campaigns are: CI sends the same cases each run; other seeds explore. */
  private static final long SEED = Long.getLong("raftkv.fuzz.seed", 1);
  /** The node's head and body bounds: short, so that a case cut short is answered 408 soon. */
  private static final Duration SLOW_CLIENT_BOUND = Duration.ofMillis(300);
  /** Each read's bound: well past the slow-client bounds on a busy machine. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
  /** Connections at once: a case cut short mostly waits for its 408, without work for the machine. */
  private static final int CLIENTS = 8;
  /** Failing cases printed in full; the rest are counted. */
  private static final int SHOWN = 10;

  @TempDir Path dir;

  /** How a case's connection went: its answers' statuses, how it ended, and what was wrong with it, if anything. */
  private record Outcome(HttpFuzzCase fuzz, List<Integer> statuses, Ending ending, String problem) {}

  private enum Ending { ANSWERED, CLOSED, TIMED_OUT }

  @Test
  void badInputNeverGetsA5xxAndTheNodeStillServes() throws Exception {
    try (OneNodeGateway node = OneNodeGateway.start(dir, "raftkv.kv { key-bytes-max = 64, value-bytes-max = 64 }\n"
        + "raftkv.http { request-head-timeout = " + SLOW_CLIENT_BOUND.toMillis() + "ms, request-body-timeout = "
        + SLOW_CLIENT_BOUND.toMillis() + "ms }\n")) {
      long started = System.nanoTime();
      List<Outcome> outcomes = run(node.port);
      String summary = summary(outcomes, Duration.ofNanos(System.nanoTime() - started));
      List<Outcome> failed = outcomes.stream().filter(o -> o.problem() != null).toList();
      String failures = failed.stream().limit(SHOWN).map(HttpFuzzTest::describe).collect(Collectors.joining("\n"));
      System.out.println(summary + (failures.isEmpty() ? "" : "\n" + failures));
      assertTrue(failed.isEmpty(), failed.size() + " of " + outcomes.size() + " cases failed\n" + summary + "\n" + failures);
      assertEquals(200, node.call("GET", "/health", null).statusCode(), "the node no longer answers GET /health");
    }
  }

  private static List<Outcome> run(int port) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<Outcome>> pending = new ArrayList<>();
      for (long seed = SEED, requests = 0; requests < REQUESTS; seed++) {
        HttpFuzzCase fuzz = HttpFuzzCase.generate(seed);
        requests += fuzz.methods().size();
        pending.add(clients.submit(() -> exchange(port, fuzz)));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : pending) outcomes.add(f.get());
      return outcomes;
    } finally {
      clients.shutdownNow();
    }
  }

  /** Sends the case on a new connection and reads an answer to each request, until the server closes. */
  private static Outcome exchange(int port, HttpFuzzCase fuzz) throws IOException {
    List<Integer> statuses = new ArrayList<>();
    try (RawHttp connection = new RawHttp(port, READ_TIMEOUT)) {
      try {
        connection.send(fuzz.bytes());
      } catch (IOException closedMeanwhile) {
        // The server may have answered the part it read and closed: what it sent is still to read.
      }
      for (int answered = 0; answered < fuzz.methods().size(); ) {
        RawHttp.Response r = connection.read(fuzz.methods().get(answered).equals("HEAD"));
        if (r == null) return new Outcome(fuzz, statuses, Ending.CLOSED, null);
        statuses.add(r.status());
        if (r.status() >= 500) return new Outcome(fuzz, statuses, Ending.ANSWERED, "a " + r.status() + " answer: " + r);
        if (r.status() >= 200) answered++; // a 1xx is interim: the request's answer is still to come
      }
      return new Outcome(fuzz, statuses, Ending.ANSWERED, null);
    } catch (SocketTimeoutException slow) {
      return new Outcome(fuzz, statuses, Ending.TIMED_OUT, null);
    } catch (ProtocolException notHttp) {
      return new Outcome(fuzz, statuses, Ending.ANSWERED, "an answer that is not HTTP: " + notHttp.getMessage());
    } catch (IOException reset) {
      return new Outcome(fuzz, statuses, Ending.CLOSED, null);
    }
  }

  private static String summary(List<Outcome> outcomes, Duration took) {
    Map<Integer, Integer> statuses = new TreeMap<>();
    outcomes.forEach(o -> o.statuses().forEach(s -> statuses.merge(s, 1, Integer::sum)));
    long requests = outcomes.stream().mapToLong(o -> o.fuzz().methods().size()).sum();
    long unanswered = outcomes.stream().filter(o -> o.ending() == Ending.CLOSED && o.statuses().isEmpty()).count();
    long cutOff = outcomes.stream().filter(o -> o.ending() == Ending.CLOSED && !o.statuses().isEmpty()).count();
    List<Long> timedOut = outcomes.stream().filter(o -> o.ending() == Ending.TIMED_OUT).map(o -> o.fuzz().seed()).toList();
    return "HTTP fuzz, seed " + SEED + ": " + outcomes.size() + " connections, " + requests + " requests, in " + took.toMillis() + " ms\n"
        + "statuses seen (answers): " + statuses + "\n"
        + "connections closed without an answer: " + unanswered + "; closed before answering every pipelined request: " + cutOff
        + "; no answer within " + READ_TIMEOUT.toSeconds() + " s: " + timedOut.size()
        + (timedOut.isEmpty() ? "" : " (seeds " + timedOut.stream().limit(SHOWN).toList() + ")");
  }

  private static String describe(Outcome o) {
    return "seed " + o.fuzz().seed() + ": " + o.problem() + " (statuses " + o.statuses() + ")\n"
        + "  bytes: " + o.fuzz().escaped() + "\n"
        + "  replay: mvn -B -q -o -pl gateway -am test -Dtest=HttpFuzzTest -Dsurefire.failIfNoSpecifiedTests=false"
        + " -Draftkv.fuzz.seed=" + o.fuzz().seed() + " -Draftkv.fuzz.requests=1";
  }
}
