package io.raftkv.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractMaterializer;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.failWith;
import static org.apache.pekko.http.javadsl.server.Directives.mapRequest;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.model.headers.RawRequestURI;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * What every request must satisfy before a route sees it, checked in {@link HttpGateway#route()}'s
 * outer wrapping: a request target that is UTF-8 once percent-decoded (Pekko would decode a bad
 * byte to U+FFFD and so name another key), headers with names, each session header at most once,
 * and a body no larger than the largest value that arrives within
 * {@code raftkv.http.request-body-timeout} (read here, so the routes see it whole).
 */
final class RequestChecks {
  private RequestChecks() {}

  static Route around(RequestBounds bounds, Supplier<Route> inner) {
    return extractRequest(request -> {
      Optional<String> refused = targetNotUtf8(request).or(() -> badHeader(request));
      if (refused.isPresent()) return complete(HttpErrors.badRequest(refused.get()));
      boolean txn = request.getUri().path().equals(TxnJson.PATH);
      return wholeBody(bounds.bodyBytesMaxFor(request.getUri().path()), txn, bounds.bodyTimeout(), request.entity(), inner);
    });
  }

  /** Why the raw request target is not UTF-8 after percent-decoding, if it is not. */
  static Optional<String> targetNotUtf8(HttpRequest request) {
    Optional<RawRequestURI> raw = request.getHeader(RawRequestURI.class);
    return raw.isPresent() ? notUtf8(raw.get().uri()) : Optional.empty();
  }

  static Optional<String> notUtf8(String target) {
    if (!escapesHighByte(target)) return Optional.empty(); // escapes of ASCII only: always UTF-8
    byte[] bytes = new byte[target.length()];
    int n = 0;
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c > 0x7f) return Optional.empty(); // not from the strict URI parser; leave it to the routes
      if (c == '%' && i + 2 < target.length() && hex(target.charAt(i + 1)) >= 0 && hex(target.charAt(i + 2)) >= 0) {
        bytes[n++] = (byte) (hex(target.charAt(i + 1)) << 4 | hex(target.charAt(i + 2)));
        i += 2;
      } else {
        bytes[n++] = (byte) c;
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, n));
      return Optional.empty();
    } catch (CharacterCodingException e) {
      return Optional.of("the path or query is not UTF-8 once percent-decoded; keys, prefixes and parameters are UTF-8 text");
    }
  }

  private static boolean escapesHighByte(String target) {
    for (int i = target.indexOf('%'); i >= 0 && i + 1 < target.length(); i = target.indexOf('%', i + 1)) {
      if (hex(target.charAt(i + 1)) >= 8) return true;
    }
    return false;
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  /**
   * A header line with no name (Pekko's parser lets ": value" through), or a session header sent
   * twice: which one would count is not for the server to guess.
   */
  static Optional<String> badHeader(HttpRequest request) {
    int clientIds = 0;
    int seqs = 0;
    int tags = 0;
    for (HttpHeader h : request.getHeaders()) {
      if (h.name().isEmpty()) return Optional.of("a header line has no name");
      if (h.is(HttpGateway.CLIENT_ID.toLowerCase(Locale.ROOT))) clientIds++;
      else if (h.is(HttpGateway.REQUEST_SEQ.toLowerCase(Locale.ROOT))) seqs++;
      else if (h.is(ApiAccess.SESSION_TAG.toLowerCase(Locale.ROOT))) tags++;
    }
    if (clientIds > 1) return Optional.of(HttpGateway.CLIENT_ID + " is given more than once");
    if (seqs > 1) return Optional.of(HttpGateway.REQUEST_SEQ + " is given more than once");
    if (tags > 1) return Optional.of(ApiAccess.SESSION_TAG + " is given more than once");
    return Optional.empty();
  }

  /**
   * The body, whole, within the bounds: 413 (and the connection closed, the rest unread) for one
   * over {@code raftkv.kv.value-bytes-max}, 408 for one that does not arrive in time, 400 for a
   * malformed one (a broken chunk).
   */
  private static Route wholeBody(long bodyBytesMax, boolean txn, Duration bodyTimeout, HttpEntity entity, Supplier<Route> inner) {
    OptionalLong declared = entity.getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > bodyBytesMax) {
      return complete(closing(HttpErrors.tooLarge("the request body is " + declared.getAsLong() + " bytes, " + over(bodyBytesMax, txn))));
    }
    if (entity.isStrict()) return inner.get();
    // The size limit fails the stream with an EntityStreamSizeException past the bound; toStrict's own
    // bound (one byte later, so never reached first) would fail it with a less specific exception.
    HttpEntity limited = entity.withSizeLimit(bodyBytesMax);
    return extractMaterializer(materializer -> onComplete(limited.toStrict(bodyTimeout.toMillis(), bodyBytesMax + 1, materializer),
        body -> {
          if (body.isSuccess()) {
            HttpEntity.Strict whole = body.get();
            return mapRequest(r -> r.withEntity(whole), inner);
          }
          Throwable e = body.failed().get();
          if (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
          if (e instanceof TimeoutException) {
            return complete(closing(HttpErrors.requestTimeout("the request body did not arrive within " + RequestBounds.BODY_TIMEOUT + " = "
                + bodyTimeout.toMillis() + " ms")));
          }
          if (e instanceof EntityStreamSizeException) {
            return complete(closing(HttpErrors.tooLarge("the request body is " + over(bodyBytesMax, txn))));
          }
          if (e instanceof EntityStreamException s) return complete(closing(HttpErrors.badRequest("malformed body: " + s.info().summary())));
          return failWith(e);
        }));
  }

  private static String over(long bodyBytesMax, boolean txn) {
    return txn
        ? "over " + bodyBytesMax + " bytes, the JSON of the largest transaction the key-value limits allow"
        : "over " + RequestBounds.VALUE_BYTES_MAX + " = " + bodyBytesMax + " (no request but a transaction carries more than a value)";
  }

  /** The request's body was not read to its end: the connection cannot carry another request. */
  private static HttpResponse closing(HttpResponse response) {
    return response.addHeader(Connection.create("close"));
  }
}
