package io.raftkv.http;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import io.raftkv.security.TlsContexts;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.TLS;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import scala.concurrent.duration.FiniteDuration;

/**
 * The HTTP server of a node: what {@code Http.newServerAt(host, port).bind(handler)} builds (TCP,
 * Pekko's HTTP/1.1 server layer, its idle-timeout, max-connections, stream-cancellation-delay),
 * with a {@link RequestHeadDeadline} between the TCP bytes and the HTTP layer, which Pekko offers
 * no place for. Settings are {@code pekko.http.server.*}, with three held fixed because the API's
 * answers depend on them: the {@code Raw-Request-URI} header is on ({@link RequestChecks} checks
 * the target's bytes), parse errors are answered by {@link JsonParsingErrorHandler}, and a
 * request target may be as long as the longest key needs ({@link RequestBounds#uriLengthMin()});
 * and one because of what it would log: an {@code Authorization} header the parser cannot model
 * stays a raw header without the warning that would quote it (its value may be a token).
 *
 * <p>With an {@link SSLContext} (the node's, when {@code raftkv.tls.enabled}) the connections are
 * HTTPS: TLS 1.3 only, with the node's certificate, a client certificate asked for but not required
 * ({@code want}: the API authenticates by token). The TLS stage sits between TCP and the plaintext
 * stages, so the head deadline and the 400 in place of the layer's 500 work on what the client
 * sent, not on its ciphertext; and the handshake with the first bytes of the first request must
 * arrive within the head deadline too, so that a client cannot hold a connection by stalling its
 * handshake. HTTP/2 is not offered (no ALPN: clients speak HTTP/1.1).
 */
final class GatewayServer {
  private GatewayServer() {}

  static CompletionStage<Tcp.ServerBinding> bind(ActorSystem<?> system, String host, int port, Flow<HttpRequest, HttpResponse, NotUsed> handler,
      RequestBounds bounds, Optional<SSLContext> https) {
    org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(system);
    ServerSettings settings = settings(ServerSettings.create(classic), bounds);
    Materializer materializer = Materializer.matFromSystem(system);
    Attributes cancellation = settings.getStreamCancellationDelay().length() > 0
        ? Attributes.apply(new Attributes.CancellationStrategy(
            Attributes.cancellationStrategyAfterDelay(settings.getStreamCancellationDelay(), Attributes.cancellationStrategyFailStage())))
        : Attributes.none();
    return Tcp.get(classic)
        .bind(host, port, settings.getBacklog(), settings.getSocketOptions(), false, Optional.empty()) // the idle timeout is the HTTP layer's
        .mapAsyncUnordered(settings.getMaxConnections(), connection -> {
          RequestHeadDeadline deadline = new RequestHeadDeadline(bounds.headTimeout());
          UnbuildableRequest unbuildable = new UnbuildableRequest();
          Flow<ByteString, ByteString, CompletionStage<Done>> serve = deadline.countRequests().via(handler)
              .join(layers(classic, settings, deadline, unbuildable, connection, https, bounds.headTimeout()))
              .watchTermination((notUsed, done) -> done)
              .addAttributes(cancellation);
          // A connection that fails (a reset, an idle timeout) must not fail the binding.
          return connection.handleWith(serve, materializer).handle((done, error) -> Done.getInstance());
        })
        .to(Sink.ignore())
        .run(materializer);
  }

  static ServerSettings settings(ServerSettings configured, RequestBounds bounds) {
    int uriLength = Math.max(configured.getParserSettings().getMaxUriLength(), bounds.uriLengthMin());
    // A malformed Authorization header would be logged with its value: a token, perhaps. It stays a raw header (a 401).
    java.util.List<String> quiet = new java.util.ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(
        configured.getParserSettings().getIgnoreIllegalHeaderFor()));
    quiet.add("authorization");
    return configured.withRawRequestUriHeader(true)
        .withParsingErrorHandler(JsonParsingErrorHandler.class.getName())
        .withParserSettings(configured.getParserSettings().withMaxUriLength(uriLength)
            .withIgnoreIllegalHeaderFor(scala.jdk.javaapi.CollectionConverters.asScala(quiet).toList()));
  }

  /**
   * Pekko's HTTP layer over plaintext bytes (its 500 for a request it cannot build made a 400:
   * {@link UnbuildableRequest}), then the head deadline, then TLS when on, then the idle timeout.
   */
  @SuppressWarnings("unchecked")
  private static BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, NotUsed> layers(org.apache.pekko.actor.ActorSystem classic,
      ServerSettings settings, RequestHeadDeadline deadline, UnbuildableRequest unbuildable, Tcp.IncomingConnection connection,
      Optional<SSLContext> https, Duration handshakeTimeout) {
    // TLSPlacebo's SessionBytes are the SslTlsInbound the HTTP layer reads; Java's generics need the cast.
    BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed> plain =
        (BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed>)
            (BidiFlow<?, ?, ?, ?, ?>) TLSPlacebo.getInstance();
    BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, NotUsed> http = Http.get(classic)
        .serverLayer(settings, Optional.of(connection.remoteAddress()), unbuildable.log(classic, GatewayServer.class))
        .atop(plain)
        .atop(BidiFlow.fromFlows(unbuildable.answers(), Flow.of(ByteString.class)))
        .atop(BidiFlow.fromGraph(deadline))
        .atop(https.map(context -> tls(context, handshakeTimeout)).orElseGet(BidiFlow::identity));
    scala.concurrent.duration.Duration idle = settings.getTimeouts().idleTimeout();
    return idle instanceof FiniteDuration finite
        ? http.atop(BidiFlow.bidirectionalIdleTimeout(Duration.ofNanos(finite.toNanos())))
        : http;
  }

  /**
   * TLS between plaintext bytes (above) and ciphertext (below), as Pekko's HTTPS server sets it up
   * (an engine per connection, closed eagerly), with the engine restricted to TLS 1.3 and asking for
   * a client certificate. The first plaintext must come within {@code handshakeTimeout}.
   */
  static BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> tls(SSLContext context, Duration handshakeTimeout) {
    BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed> stage = TLS.create(() -> {
      SSLEngine engine = context.createSSLEngine();
      engine.setUseClientMode(false);
      engine.setWantClientAuth(true);
      engine.setEnabledProtocols(TlsContexts.PROTOCOLS.toArray(String[]::new));
      return engine;
    }, TLSClosing.eagerClose());
    Flow<ByteString, TLSProtocol.SslTlsOutbound, NotUsed> send = Flow.of(ByteString.class).map(TLSProtocol.SendBytes::new);
    // SessionTruncated (the peer closed without close_notify) carries no bytes: the stream's end says it.
    Flow<TLSProtocol.SslTlsInbound, ByteString, NotUsed> received = Flow.of(TLSProtocol.SslTlsInbound.class)
        .filter(in -> in instanceof TLSProtocol.SessionBytes)
        .map(in -> ((TLSProtocol.SessionBytes) in).bytes())
        .initialTimeout(handshakeTimeout);
    return BidiFlow.fromFlows(send, received).atop(stage);
  }
}
