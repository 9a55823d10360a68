package io.raftkv.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftkv.persistence.kv.KvLimits;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/** The gateway's error answers: JSON {@code {"error": "...", "detail": "..."}}, as docs/ARCHITECTURE.md's HTTP API says. */
final class HttpErrors {
  static final ObjectMapper JSON = new ObjectMapper();

  private HttpErrors() {}

  static HttpResponse error(StatusCode status, String error, String detail) {
    ObjectNode body = JSON.createObjectNode().put("error", error).put("detail", detail);
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, body.toString());
  }

  /**
   * {@link #error} as the bytes on the wire, closing the connection: for the stages below Pekko's
   * HTTP layer, which answer a client themselves and have nothing there to render a response.
   */
  static ByteString closingBytes(StatusCode status, String error, String detail) {
    byte[] body = JSON.createObjectNode().put("error", error).put("detail", detail).toString().getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status.intValue() + " " + status.reason() + "\r\n"
        + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Connection: close\r\n\r\n";
    return ByteString.fromString(head, StandardCharsets.US_ASCII).concat(ByteString.fromArray(body));
  }

  static HttpResponse badRequest(String detail) {
    return error(StatusCodes.BAD_REQUEST, "bad request", detail);
  }

  static HttpResponse tooLarge(String detail) {
    return error(StatusCodes.PAYLOAD_TOO_LARGE, "too large", detail);
  }

  /** The client did not send its request in the time it had: the connection is closed after this answer. */
  static HttpResponse requestTimeout(String detail) {
    return error(StatusCodes.REQUEST_TIMEOUT, "request timeout", detail);
  }

  /**
   * A request the key-value layer refused before the log: 413 when a key, value or transaction is
   * over its size limit, 400 for anything else (a malformed key, a scan limit over
   * scan-entries-max, a transaction with too many operations).
   */
  static HttpResponse invalid(String reason) {
    return reason.contains(KvLimits.KEY_BYTES_MAX) || reason.contains(KvLimits.VALUE_BYTES_MAX)
        || reason.contains(KvLimits.TXN_BYTES_MAX) || reason.contains(KvLimits.TXN_ANSWER_BYTES_MAX)
        ? tooLarge(reason) : badRequest(reason);
  }

  /** A revision below the compacted one: 410, with the compacted revision as a number too. */
  static HttpResponse compacted(String detail, long compactedRevision) {
    ObjectNode body = JSON.createObjectNode().put("error", "compacted").put("detail", detail)
        .put("compactedRevision", compactedRevision);
    return HttpResponse.create().withStatus(StatusCodes.GONE).withEntity(ContentTypes.APPLICATION_JSON, body.toString());
  }

  /**
   * The state is over its space quota and the write would grow it: 507, naming the setting, with
   * the two sizes as numbers too ({@code stateBytes}, {@code quotaBytes}) for clients to read.
   */
  static HttpResponse quotaExceeded(long stateBytes, long quotaBytes) {
    ObjectNode body = JSON.createObjectNode().put("error", "quota exceeded")
        .put("detail", "the state is " + stateBytes + " bytes, over raftkv.kv.quota-bytes = " + quotaBytes
            + " bytes: writes that would grow it are refused until deletes bring it back under; reads and deletes go on")
        .put("stateBytes", stateBytes).put("quotaBytes", quotaBytes);
    return HttpResponse.create().withStatus(StatusCodes.INSUFFICIENT_STORAGE).withEntity(ContentTypes.APPLICATION_JSON, body.toString());
  }

  /**
   * No token, or one the node does not know: 401 with {@code WWW-Authenticate: Bearer} (RFC 6750;
   * {@code error="invalid_token"} when a token was given).
   */
  static HttpResponse unauthorized(String detail, boolean invalidToken) {
    return error(StatusCodes.UNAUTHORIZED, "unauthorized", detail)
        .addHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"raftkv\"" + (invalidToken ? ", error=\"invalid_token\"" : "")));
  }

  /** A known token whose role does not allow the request, or a session of another token: 403. */
  static HttpResponse forbidden(String detail) {
    return error(StatusCodes.FORBIDDEN, "forbidden", detail);
  }

  /** No leader answered in time: the client should retry after {@code retryAfterSeconds}. */
  static HttpResponse unavailable(String detail, int retryAfterSeconds) {
    return error(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", detail)
        .addHeader(RawHeader.create("Retry-After", Integer.toString(retryAfterSeconds)));
  }
}
