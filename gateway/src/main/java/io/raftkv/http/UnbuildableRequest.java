package io.raftkv.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.event.BusLogging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * For one connection, the API's JSON 400 in place of the bare 500 that Pekko's HTTP layer sends
 * for a request its parser takes and its request model refuses. The case met: an HTTP/1.0 request
 * with {@code Transfer-Encoding: chunked}. The parser frames its body as chunks; building the
 * request then throws IllegalArgumentException (HttpRequest's {@code require}: HTTP/1.0 has no
 * chunked coding); that fails the layer's own stages, ahead of the routes and of
 * {@link JsonParsingErrorHandler}, and the layer answers a failure it does not know with a 500 and
 * a close. It is the request's fault: RFC 9112 (6.1) calls the framing of an HTTP/1.0 message with
 * Transfer-Encoding faulty, to be answered and the connection closed, so a 400.
 *
 * <p>The layer leaves a single trace before it answers: it logs the exception. {@link #log} is the
 * layer's log and takes note of it there (the layer calls it just before sending the 500, so the
 * note is always first); {@link #answers}, on the bytes from the layer to the client, puts the 400
 * in place of that 500. Every IllegalArgumentException the layer logs so is its request model's
 * {@code require} on what the client sent; our routes answer their own (400, {@link HttpGateway}).
 * A stage after the layer cannot make it an error the layer answers 400 itself: the layer's
 * pipelining guard fails its response side with the same exception, not through the routes. The
 * parser should refuse the head (Pekko HTTP 1.3.0 does not, nor does its main branch); once it
 * does, this class has nothing to do.
 */
final class UnbuildableRequest {
  private static final String LAYER_500 = "HTTP/1.1 500 ";

  /** Why the layer could not build the request; set once, then the connection ends. */
  private final AtomicReference<String> refused = new AtomicReference<>();

  /** The log to hand the HTTP layer: the gateway's, noting the refusal instead of logging it as a server error. */
  LoggingAdapter log(ActorSystem classic, Class<?> source) {
    return new BusLogging(classic.eventStream(), source.getName(), source, ((ExtendedActorSystem) classic).logFilter()) {
      @Override
      public void error(Throwable cause, String message) {
        if (cause instanceof IllegalArgumentException && refused.compareAndSet(null, reason(cause))) {
          warning("Illegal request, responding with status '400 Bad Request': {}", refused.get());
        } else {
          super.error(cause, message);
        }
      }
    };
  }

  /** The bytes to the client, with the layer's 500 replaced once a refusal is noted. */
  Flow<ByteString, ByteString, NotUsed> answers() {
    return Flow.of(ByteString.class).map(bytes -> {
      String why = refused.get();
      if (why == null || !bytes.take(LAYER_500.length()).decodeString(StandardCharsets.US_ASCII).equals(LAYER_500)) return bytes;
      return HttpErrors.closingBytes(StatusCodes.BAD_REQUEST, "bad request", why);
    });
  }

  /** Scala's {@code require} prefixes its message; the client needs only the rule. */
  private static String reason(Throwable cause) {
    return String.valueOf(cause.getMessage()).replaceFirst("^requirement failed: ", "");
  }
}
