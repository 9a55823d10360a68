package io.raftkv.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends one logical call to the cluster: tries the node that answered last, moves to the next
 * node when one fails to connect or answers 503, and after each full round of failures waits
 * (exponential backoff with jitter, or the longest Retry-After of the round if longer) before the
 * next round. Everything is bounded: the call's deadline, {@code attemptsMax} attempts, each wait
 * (never past the deadline: it gives up instead), each body.
 *
 * <p>A request that may have been delivered (no answer, a dropped connection, a 503) is sent again
 * only when that is safe: a read, or a write carrying a session's sequence number (the state
 * machine applies it once). Anything else gives up at once, so the caller learns that the outcome
 * is unknown instead of having a write applied twice.
 */
final class RetryingCaller {
  private final HttpClient http;
  private final List<URI> nodes;
  private final ClientSettings settings;
  private final Random random;
  /** The value of every request's {@code Authorization} header; null for none. Never put in a message. */
  private final String authorization;
  /** The index of the node that answered last: where the next call starts. */
  private final AtomicInteger preferred = new AtomicInteger();

  RetryingCaller(HttpClient http, List<URI> nodes, ClientSettings settings, Random random, String authorization) {
    this.http = http;
    this.nodes = List.copyOf(nodes);
    this.settings = settings;
    this.random = random;
    this.authorization = authorization;
  }

  /**
   * One request of a call.
   *
   * @param method     the HTTP method
   * @param target     path and query, starting with {@code /}, already encoded
   * @param body       the request body; null for none
   * @param headers    extra headers as name, value, name, value...
   * @param effectful  whether it writes: then a delivery without an answer may have had an effect
   * @param resendable whether it may be sent again after it may have been delivered
   */
  record Call(String method, String target, byte[] body, List<String> headers, boolean effectful,
      boolean resendable) {}

  List<URI> nodes() {
    return nodes;
  }

  ClientSettings settings() {
    return settings;
  }

  /** How one attempt failed to produce a reply. */
  private enum Failure {
    /** Nothing reached the node (the connection was refused or timed out, the host is unknown). */
    NOT_SENT,
    /** The request may have reached the node, and no answer came back. */
    NO_ANSWER
  }

  private record Attempt(Reply reply, Failure failure, String problem, Throwable cause) {}

  /**
   * The first answer other than 503, from whichever node gave it.
   *
   * @param deadline in {@link System#nanoTime()} terms
   */
  Reply call(Call call, long deadline) {
    int n = nodes.size();
    int node = Math.floorMod(preferred.get(), n);
    Backoff backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), random);
    int attempts = 0;
    int sinceWait = 0;
    boolean noAnswer = false;
    boolean unavailable = false;
    long retryAfter = 0;
    String last = "no attempt was made";
    Throwable lastCause = null;
    while (true) {
      if (System.nanoTime() - deadline >= 0) {
        throw giveUp(call, "the deadline ran out after " + attempts + " attempts", last, lastCause,
            noAnswer, unavailable);
      }
      if (Thread.currentThread().isInterrupted()) { // the flag stays set for the caller
        throw giveUp(call, "interrupted after " + attempts + " attempts", last, lastCause, noAnswer, unavailable);
      }
      attempts++;
      Attempt a = attempt(nodes.get(node), call, deadline);
      if (a.reply() != null && a.reply().status() != 503) {
        preferred.set(node);
        return a.reply();
      }
      last = a.problem();
      lastCause = a.cause();
      if (a.reply() != null) {
        unavailable = true;
        retryAfter = Math.max(retryAfter, retryAfterNanos(a.reply()));
      } else if (a.failure() == Failure.NO_ANSWER) {
        noAnswer = true;
      }
      if (a.failure() != Failure.NOT_SENT && !call.resendable()) {
        throw giveUp(call, "not retried, as the request may have been delivered and carries no session",
            last, lastCause, noAnswer, unavailable);
      }
      if (attempts >= settings.attemptsMax()) {
        throw giveUp(call, "gave up after " + attempts + " attempts", last, lastCause, noAnswer, unavailable);
      }
      node = (node + 1) % n;
      if (++sinceWait >= n) { // every node failed once since the last wait
        sinceWait = 0;
        long wait = Math.max(backoff.nextNanos(), retryAfter);
        retryAfter = 0;
        if (System.nanoTime() + wait - deadline >= 0) {
          throw giveUp(call, "the deadline would run out during the " + wait / 1_000_000 + " ms wait before attempt "
              + (attempts + 1), last, lastCause, noAnswer, unavailable);
        }
        pause(wait);
      }
    }
  }

  /** Backoff, not synchronization: parks for {@code nanos} (parkNanos may return early), unless interrupted. */
  private static void pause(long nanos) {
    long until = System.nanoTime() + nanos;
    for (long left = nanos; left > 0 && !Thread.currentThread().isInterrupted(); left = until - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  /**
   * Opens a long-lived {@code GET target} on {@code node} (a watch), no retry: the answer's
   * headers within {@code headersTimeout}, its body as a stream the caller reads and closes.
   */
  java.net.http.HttpResponse<java.io.InputStream> openStream(URI node, String target, Duration headersTimeout)
      throws java.io.IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node + target)).timeout(headersTimeout).GET();
    if (authorization != null) request.header("Authorization", authorization);
    return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
  }

  /** One request to {@code node}, no retry; null when it failed to answer in time. */
  Reply once(URI node, Call call, long deadline) {
    Attempt a = attempt(node, call, deadline);
    return a.reply();
  }

  private Attempt attempt(URI node, Call call, long deadline) {
    long remaining = Math.max(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node + call.target()))
        .timeout(Duration.ofNanos(remaining)); // up to the response headers; BoundedBody bounds the body
    if (call.body() != null) {
      request.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()))
          .header("Content-Type", "application/octet-stream");
    } else if (call.method().equals("GET")) {
      request.GET(); // not method("GET", noBody()): a body publisher, even empty, costs a request-body stage
    } else if (call.method().equals("DELETE")) {
      request.DELETE();
    } else {
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    for (int i = 0; i + 1 < call.headers().size(); i += 2) {
      request.header(call.headers().get(i), call.headers().get(i + 1));
    }
    if (authorization != null) request.header("Authorization", authorization);
    try {
      // send, not sendAsync: the asynchronous API hands every answer to another thread, which
      // halved the client's throughput when measured against an in-process node
      HttpResponse<byte[]> response = http.send(request.build(), new BoundedBody(settings.bodyBytesMax(), deadline));
      return new Attempt(new Reply(node, response.statusCode(), response.headers(), response.body()), null,
          node + " answered " + response.statusCode(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // send cancels the exchange when interrupted
      return new Attempt(null, Failure.NO_ANSWER, "interrupted while waiting for " + node, e);
    } catch (IOException e) {
      BoundedBody.TooLargeException tooLarge = find(e, BoundedBody.TooLargeException.class);
      if (tooLarge != null) {
        throw new RaftkvProtocolException(node + ": " + tooLarge.getMessage(), call.effectful(), e);
      }
      if (notSent(e)) {
        return new Attempt(null, Failure.NOT_SENT, node + " could not be connected to (" + describe(e) + ")", e);
      }
      String what = find(e, TimeoutException.class) != null || e instanceof HttpTimeoutException
          ? "did not answer in time" : "gave no answer (" + describe(e) + ")";
      return new Attempt(null, Failure.NO_ANSWER, node + " " + what, e);
    }
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  /**
   * Whether the failure happened before any byte of the request could reach the node: no
   * connection, or a TLS handshake that failed (a certificate not trusted, a node that is not HTTPS).
   */
  private static boolean notSent(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof HttpConnectTimeoutException
          || c instanceof UnresolvedAddressException || c instanceof UnknownHostException || c instanceof SSLHandshakeException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    String type = t instanceof IOException ? t.getClass().getSimpleName() : t.getClass().getName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  /** The Retry-After of a 503 (seconds; an HTTP-date is not used by raftkv and counts as absent), capped. */
  private long retryAfterNanos(Reply reply) {
    String value = reply.headers().firstValue("Retry-After").orElse("").trim();
    try {
      long seconds = Long.parseLong(value);
      if (seconds <= 0) {
        return 0;
      }
      return Math.min(TimeUnit.SECONDS.toNanos(Math.min(seconds, 1L << 30)), settings.retryAfterMax().toNanos());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static RaftkvException giveUp(Call call, String why, String last, Throwable cause, boolean noAnswer,
      boolean unavailable) {
    String message = call.method() + " " + call.target() + ": " + why + "; last: " + last;
    if (noAnswer && !unavailable) {
      return new RaftkvTimeoutException(message, call.effectful(), cause);
    }
    // A 503 says the cluster has no leader: that is the answer, even if a later attempt was cut
    // short by the deadline. A delivered write may still have been appended; a refused connection
    // delivered nothing.
    return new RaftkvUnavailableException(message, call.effectful() && (unavailable || noAnswer), cause);
  }
}
