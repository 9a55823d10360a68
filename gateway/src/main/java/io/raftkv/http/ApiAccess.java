package io.raftkv.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.mapRequest;

import io.raftkv.security.AuthSettings;
import io.raftkv.security.Role;
import io.raftkv.security.TokenEntry;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Who may do what on the API ({@code raftkv.auth}). {@link #authenticate} goes around the whole
 * API, before anything else of a request is read: every request but {@code GET /health} must carry
 * {@code Authorization: Bearer <token>} naming a token of the tokens file, else 401 with
 * {@code WWW-Authenticate: Bearer}. Each route then names the least role it needs ({@link #allow}):
 * a token whose role falls short gets 403. A session's writes must carry its tag for the caller
 * ({@link #sessionOwner}). Tokens are compared by their hashes in constant time
 * ({@link io.raftkv.security.Tokens#find}), and never logged nor echoed. With authentication off,
 * each of these is the route it wraps.
 */
final class ApiAccess {
  static final String SESSION_TAG = "Raftkv-Session-Tag";
  private static final String AUTHORIZATION = "authorization";
  private static final String BEARER = "bearer ";
  /** The authenticated caller, handed from {@link #authenticate} to the routes within. */
  private static final AttributeKey<TokenEntry> CALLER = AttributeKey.create("raftkv-caller", TokenEntry.class);

  private final AuthSettings auth;

  ApiAccess(AuthSettings auth) {
    this.auth = auth;
  }

  /** Around the API: a request without a known token gets 401; {@code /health} is open (load balancers ask it). */
  Route authenticate(Supplier<Route> inner) {
    Route api = inner.get();
    if (!auth.enabled()) return api;
    return extractRequest(request -> {
      if (request.getUri().path().equals("/health")) return api;
      String presented = null;
      int given = 0;
      for (HttpHeader h : request.getHeaders()) {
        if (!h.is(AUTHORIZATION)) continue;
        given++;
        presented = h.value();
      }
      if (given > 1) return complete(HttpErrors.badRequest("Authorization is given more than once"));
      if (presented == null) {
        return complete(unread(request, HttpErrors.unauthorized("this API needs a token: Authorization: Bearer <token>", false)));
      }
      if (!presented.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        return complete(unread(request, HttpErrors.unauthorized("Authorization must be Bearer <token>", false)));
      }
      Optional<TokenEntry> caller = auth.tokens().find(presented.substring(BEARER.length()).strip());
      if (caller.isEmpty()) {
        return complete(unread(request, HttpErrors.unauthorized("the token is not one this node accepts (raftkv.auth.tokens-file)", true)));
      }
      return mapRequest(r -> r.addAttribute(CALLER, caller.get()), () -> api);
    });
  }

  /** The route, for a caller whose role allows {@code needed}; else 403 naming the token, its role and the role needed. */
  Route allow(Role needed, Supplier<Route> inner) {
    Route route = inner.get(); // built once per call, not once more for each request that passes
    if (!auth.enabled()) return route;
    return extractRequest(request -> {
      TokenEntry caller = caller(request).orElseThrow(); // authenticate let it in
      if (caller.role().allows(needed)) return route;
      String action = HttpGateway.routeLabel(request.method().name(), request.getUri().path());
      return complete(unread(request, HttpErrors.forbidden("the token '" + caller.name() + "' has the role " + caller.role() + "; "
          + action + " needs " + needed)));
    });
  }

  /** The route, given the caller (empty with authentication off). */
  Route withCaller(Function<Optional<TokenEntry>, Route> inner) {
    if (!auth.enabled()) return inner.apply(Optional.empty());
    return extractRequest(request -> inner.apply(caller(request)));
  }

  /** The tag of session {@code clientId} opened by {@code caller}; empty with authentication off. */
  Optional<String> sessionTag(long clientId, Optional<TokenEntry> caller) {
    return caller.map(c -> auth.sessionTags().tag(clientId, c.name()));
  }

  /**
   * The route, for a write naming session {@code clientId} whose {@value #SESSION_TAG} is the
   * session's tag for the caller; else 403: the session was opened by another token, or the tag is
   * wrong or missing.
   */
  Route sessionOwner(long clientId, Supplier<Route> inner) {
    if (!auth.enabled()) return inner.get();
    return extractRequest(request -> {
      TokenEntry caller = caller(request).orElseThrow();
      Optional<String> tag = request.getHeader(SESSION_TAG).map(HttpHeader::value);
      if (tag.isPresent() && auth.sessionTags().matches(clientId, caller.name(), tag.get().strip())) return inner.get();
      return complete(unread(request, HttpErrors.forbidden("the session belongs to another identity, or the tag is wrong"
          + (tag.isEmpty() ? " (no " + SESSION_TAG + ": a session's writes carry the tag POST /v1/session answered)" : ""))));
    });
  }

  private static Optional<TokenEntry> caller(HttpRequest request) {
    return request.getAttribute(CALLER);
  }

  /** A refusal before the body was read: the connection cannot carry another request unless the body is here whole. */
  private static HttpResponse unread(HttpRequest request, HttpResponse response) {
    return request.entity().isStrict() ? response : response.addHeader(Connection.create("close"));
  }
}
