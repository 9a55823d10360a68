package io.raftkv.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import scala.Option;

/**
 * Mutual TLS between nodes, as Pekko Artery's {@link SSLEngineProvider}: TLS 1.3 only, both ends
 * show a certificate of the cluster's CA (the context trusts nothing else), and each certificate
 * must name a node ({@code urn:raftkv:node:<id>}, {@link CertificateIdentity}). A node that dials
 * another also checks that the certificate names the node it meant to reach at that address
 * ({@link ExpectedPeer}): on one host every node's certificate is valid for 127.0.0.1, so the
 * host name proves nothing, the node id does. A client's certificate (one naming no node) is
 * refused: only nodes speak Artery.
 *
 * <p>Given to the ActorSystem through Pekko's {@code SSLEngineProviderSetup}, so that it shares the
 * node's view of the members instead of being built from configuration by reflection.
 */
public final class PeerTls implements SSLEngineProvider {
  /** Which node this node expects at an Artery address, as far as it knows. */
  @FunctionalInterface
  public interface ExpectedPeer {
    /** The id of the member whose Artery endpoint is {@code host:port}, or empty when none is known there. */
    OptionalInt nodeAt(String host, int port);
  }

  private final TlsSettings settings;
  private final ExpectedPeer expected;
  private final PeerCertificates seen;
  private final AtomicLong refusedHandshakes = new AtomicLong();
  private final javax.net.ssl.SSLContext context;

  /** @param seen where each peer's certificate goes once accepted, for its messages' proofs */
  public PeerTls(TlsSettings settings, ExpectedPeer expected, PeerCertificates seen) {
    this.settings = settings;
    this.expected = expected;
    this.seen = seen;
    this.context = settings.nodeContext();
  }

  /** Handshakes this node refused after TLS itself accepted them: a certificate of the CA that names no node, or another node than the one dialled. */
  public long refusedHandshakes() {
    return refusedHandshakes.get();
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setNeedClientAuth(true);
    engine.setEnabledProtocols(TlsContexts.PROTOCOLS.toArray(String[]::new));
    return engine;
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    SSLEngine engine = context.createSSLEngine(hostname, port);
    engine.setUseClientMode(true);
    engine.setEnabledProtocols(TlsContexts.PROTOCOLS.toArray(String[]::new));
    return engine;
  }

  /** This node dialled {@code hostname}: the certificate must name a node, and the one expected there when one is. */
  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return refusal(session, peer -> {
      OptionalInt want = expected.nodeAt(hostname, session.getPeerPort());
      if (want.isPresent() && want.getAsInt() != peer) {
        return "dialled node " + want.getAsInt() + " at " + hostname + ":" + session.getPeerPort() + ", and the certificate there names node " + peer;
      }
      return null;
    });
  }

  /** A node dialled this one: its certificate must name a node. */
  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return refusal(session, peer -> null);
  }

  private interface NodeCheck {
    String problem(int peerNode);
  }

  private Option<Throwable> refusal(SSLSession session, NodeCheck check) {
    String problem;
    try {
      Certificate[] chain = session.getPeerCertificates();
      X509Certificate peer = chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
      OptionalInt node = peer != null ? CertificateIdentity.nodeId(peer) : OptionalInt.empty();
      problem = node.isEmpty()
          ? "the peer's certificate names no node (urn:raftkv:node:<id>): only nodes connect to each other"
          : check.problem(node.getAsInt());
      if (problem == null) {
        seen.seen(node.getAsInt(), peer);
        return Option.empty();
      }
    } catch (SSLPeerUnverifiedException e) {
      problem = "the peer showed no certificate";
    }
    refusedHandshakes.incrementAndGet();
    return Option.apply(new SSLException("node " + settings.nodeId() + " refuses the connection: " + problem));
  }
}
