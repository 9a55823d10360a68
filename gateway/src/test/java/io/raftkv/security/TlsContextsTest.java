package io.raftkv.security;

import static io.raftkv.security.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handshakes over loopback sockets between contexts made from PEM files: mutual TLS 1.3 within one CA, and nothing across two. */
class TlsContextsTest {
  private static final int TIMEOUT_MS = 10_000; // a deadline for every blocking step, so a broken handshake fails the test instead of hanging it
  private static final String[] PROTOCOLS = TlsContexts.PROTOCOLS.toArray(String[]::new);
  @TempDir Path dir;
  private TlsFiles ours;
  private TlsFiles theirs;

  @BeforeEach
  void material() throws IOException {
    ours = write(dir.resolve("ours"), CertificateAuthority.create("our CA"));
    theirs = write(dir.resolve("theirs"), CertificateAuthority.create("their CA"));
  }

  /** A CA's material as certs init lays it out: nodes 1 and 2 on loopback, client admin. */
  private static TlsFiles write(Path at, CertificateAuthority ca) throws IOException {
    TlsFiles files = new TlsFiles(at);
    PemFiles.writeCertificates(files.caCertificate(), List.of(ca.certificate()));
    for (int id : new int[] {1, 2}) {
      IssuedCertificate node = ca.issueNode(id, "127.0.0.1");
      PemFiles.writeCertificates(files.nodeCertificate(id), node.chain());
      PemFiles.writePrivateKey(files.nodeKey(id), node.privateKey());
    }
    IssuedCertificate admin = ca.issueClient("admin");
    PemFiles.writeCertificates(files.clientCertificate("admin"), admin.chain());
    PemFiles.writePrivateKey(files.clientKey("admin"), admin.privateKey());
    return files;
  }

  private static SSLContext node(TlsFiles files, int id) {
    return TlsContexts.forNode(files.caCertificate(), files.nodeCertificate(id), files.nodeKey(id));
  }

  /** What each end of one handshake saw: the peer's certificate, or why it failed. */
  private record Handshake(X509Certificate serverSaw, Throwable serverFailure, X509Certificate clientSaw, Throwable clientFailure, String protocol) {
    boolean succeeded() {
      return serverFailure == null && clientFailure == null;
    }
  }

  /**
   * A handshake between a server that needs a client certificate and a client, on 127.0.0.1; each
   * side sends one byte after it, so a certificate the server refuses after the client thinks it is
   * done (TLS 1.3 checks the client's last) surfaces on both ends.
   */
  private static Handshake handshake(SSLContext server, SSLContext client) throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      listener.setEnabledProtocols(PROTOCOLS);
      listener.setNeedClientAuth(true);
      listener.setSoTimeout(TIMEOUT_MS);
      Future<SSLSession> accepted = executor.submit(() -> {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
          socket.setSoTimeout(TIMEOUT_MS);
          socket.startHandshake();
          socket.getOutputStream().write(socket.getInputStream().read());
          socket.getOutputStream().flush();
          return socket.getSession();
        }
      });
      X509Certificate clientSaw = null;
      Throwable clientFailure = null;
      String protocol = null;
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket()) {
        socket.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.setEnabledProtocols(PROTOCOLS);
        socket.startHandshake();
        socket.getOutputStream().write(42);
        socket.getOutputStream().flush();
        if (socket.getInputStream().read() != 42) throw new IOException("the server did not echo");
        clientSaw = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        protocol = socket.getSession().getProtocol();
      } catch (IOException e) {
        clientFailure = e;
      }
      try {
        SSLSession session = accepted.get(2 * TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return new Handshake((X509Certificate) session.getPeerCertificates()[0], null, clientSaw, clientFailure, protocol);
      } catch (ExecutionException e) {
        return new Handshake(null, e.getCause(), clientSaw, clientFailure, protocol);
      }
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void twoNodesOfOneCaAuthenticateEachOtherOverTls13() throws Exception {
    Handshake h = handshake(node(ours, 1), node(ours, 2));
    assertTrue(h.succeeded(), () -> "server: " + h.serverFailure() + ", client: " + h.clientFailure());
    assertEquals(OptionalInt.of(2), CertificateIdentity.nodeId(h.serverSaw()), "the server knows which node dialled");
    assertEquals(OptionalInt.of(1), CertificateIdentity.nodeId(h.clientSaw()));
    assertEquals("TLSv1.3", h.protocol());
  }

  @Test
  void aNodeOfAnotherCaIsRefusedAtEitherEnd() throws Exception {
    Handshake dialler = handshake(node(ours, 1), node(theirs, 2));
    // Their node trusts only its own CA, so it may refuse our server's certificate and hang up before the server has its
    // certificate to refuse: the server then fails on the alert or on the closed connection. Either way no session on either end.
    assertTrue(dialler.serverFailure() instanceof SSLHandshakeException || dialler.serverFailure() instanceof java.net.SocketException,
        () -> "the server has no session with their node: " + dialler.serverFailure());
    assertInstanceOf(SSLHandshakeException.class, dialler.clientFailure(), "their node has none with ours");
    Handshake listener = handshake(node(theirs, 1), node(ours, 2));
    assertInstanceOf(SSLHandshakeException.class, listener.clientFailure(), "the client refuses their node's certificate");
    assertNull(listener.serverSaw());
  }

  @Test
  void aClientContextTrustsTheCaAndPresentsItsCertificateWhenGiven() throws Exception {
    SSLContext admin = TlsContexts.forClient(ours.caCertificate(), Optional.of(ours.clientCertificate("admin")), Optional.of(ours.clientKey("admin")));
    Handshake h = handshake(node(ours, 1), admin);
    assertTrue(h.succeeded(), () -> "server: " + h.serverFailure() + ", client: " + h.clientFailure());
    assertEquals(Optional.of("admin"), CertificateIdentity.clientName(h.serverSaw()));
    SSLContext anonymous = TlsContexts.forClient(ours.caCertificate(), Optional.empty(), Optional.empty());
    assertTrue(handshake(node(ours, 1), anonymous).serverFailure() != null, "this server needs a client certificate");
    SSLContext trustsTheirs = TlsContexts.forClient(theirs.caCertificate(), Optional.empty(), Optional.empty());
    assertInstanceOf(SSLHandshakeException.class, handshake(node(ours, 1), trustsTheirs).clientFailure());
  }

  @Test
  void aClientCertificateCannotServe() throws Exception {
    SSLContext posing = TlsContexts.forNode(ours.caCertificate(), ours.clientCertificate("admin"), ours.clientKey("admin"));
    assertTrue(handshake(posing, node(ours, 2)).clientFailure() != null, "a clientAuth-only certificate is no server's");
  }

  @Test
  void mistakesInTheFilesAreNamedBeforeAnyHandshake() {
    assertRefused(ours.nodeKey(2) + ": the key does not belong to the certificate in " + ours.nodeCertificate(1),
        () -> TlsContexts.forNode(ours.caCertificate(), ours.nodeCertificate(1), ours.nodeKey(2)));
    assertRefused(theirs.nodeCertificate(1) + ": not a valid certificate of the CA in " + ours.caCertificate(),
        () -> TlsContexts.forNode(ours.caCertificate(), theirs.nodeCertificate(1), theirs.nodeKey(1)));
    assertRefused(ours.nodeCertificate(2) + ": 'CN=raftkv-node-2' is not a CA certificate",
        () -> TlsContexts.forNode(ours.nodeCertificate(2), ours.nodeCertificate(1), ours.nodeKey(1)));
    assertRefused(dir.resolve("nope.pem") + ": no such file",
        () -> TlsContexts.forNode(dir.resolve("nope.pem"), ours.nodeCertificate(1), ours.nodeKey(1)));
    assertRefused(ours.nodeCertificate(1) + ": holds 2 PEM blocks where one private key is expected",
        () -> TlsContexts.forNode(ours.caCertificate(), ours.nodeCertificate(1), ours.nodeCertificate(1)));
    assertRefused("a client certificate needs its key",
        () -> TlsContexts.forClient(ours.caCertificate(), Optional.of(ours.clientCertificate("admin")), Optional.empty()));
  }
}
