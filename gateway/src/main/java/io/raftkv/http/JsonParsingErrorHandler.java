package io.raftkv.http;

import java.util.Locale;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.DefaultParsingErrorHandler$;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * The answer to a request too malformed to reach the routes (a bad escape in the target, a broken
 * header line, an over-long target): the API's JSON error instead of Pekko's plain text. Pekko
 * answers an unknown method 501, an unknown HTTP version 505 and an unknown transfer coding 501;
 * all are the request's fault, so they become 405 (with the methods the API serves in {@code Allow})
 * and 400, which a client will not retry. {@link GatewayServer} installs it ({@code pekko.http.server.parsing.error-handler}).
 */
public final class JsonParsingErrorHandler extends ParsingErrorHandler {
  /** Every method some route of the API answers; the parser does not know which path was meant. */
  private static final Allow API_METHODS = Allow.create(HttpMethods.DELETE, HttpMethods.GET, HttpMethods.POST, HttpMethods.PUT);

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    StatusCode answered = status;
    if (status.intValue() == StatusCodes.NOT_IMPLEMENTED.intValue() && info.summary().startsWith("Unsupported HTTP method")) {
      answered = (StatusCode) StatusCodes.METHOD_NOT_ALLOWED;
    } else if (status.isFailure() && status.intValue() >= 500) {
      answered = (StatusCode) StatusCodes.BAD_REQUEST; // 505 (an HTTP version), 501 (a transfer coding): still the request's fault
    }
    DefaultParsingErrorHandler$.MODULE$.handle(answered, info, log, settings); // logs it as Pekko always has
    String detail = settings.verboseErrorMessages() ? info.formatPretty() : info.summary();
    HttpResponse response = HttpErrors.error(answered, answered.reason().toLowerCase(Locale.ROOT), detail);
    return answered.intValue() == StatusCodes.METHOD_NOT_ALLOWED.intValue() ? response.addHeader(API_METHODS) : response;
  }
}
