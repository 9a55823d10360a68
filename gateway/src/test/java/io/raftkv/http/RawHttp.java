package io.raftkv.http;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import io.raftkv.security.TlsContexts;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP/1.1 client over a plain socket, for requests {@code java.net.http} refuses to send: a
 * malformed escape, a broken header line, a body sent one byte at a time. It reads one response
 * (status line, headers, a {@code Content-Length} body or one that ends with the connection).
 */
final class RawHttp implements Closeable {
  /** One response; {@code headers} are keyed by lower-case name. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + body;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port, Duration readTimeout) throws IOException {
    this(port, readTimeout, Optional.empty());
  }

  /** A connection to {@code port}, over TLS 1.3 when {@code tls} is given (the handshake done before the first byte is sent). */
  RawHttp(int port, Duration readTimeout, Optional<SSLContext> tls) throws IOException {
    socket = tls.isEmpty() ? new Socket(InetAddress.getLoopbackAddress(), port) : tlsSocket(tls.get(), port);
    socket.setSoTimeout((int) readTimeout.toMillis());
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  private static Socket tlsSocket(SSLContext context, int port) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    socket.setEnabledProtocols(TlsContexts.PROTOCOLS.toArray(String[]::new));
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the node's certificate names 127.0.0.1
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  /** Sends {@code request} on a new connection and reads the one response. */
  static Response exchange(int port, String request) throws IOException {
    return exchange(port, Optional.empty(), request);
  }

  /** {@link #exchange(int, String)}, over TLS when {@code tls} is given. */
  static Response exchange(int port, Optional<SSLContext> tls, String request) throws IOException {
    try (RawHttp c = new RawHttp(port, Duration.ofSeconds(10), tls)) {
      c.send(request);
      Response r = c.read();
      if (r == null) throw new IOException("the server closed the connection without an answer to " + request);
      return r;
    }
  }

  void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * Reads one response; {@code null} when the server closes (or resets) the connection before a
   * status line. A read that outlasts the read timeout throws {@link SocketTimeoutException}; one
   * that is not HTTP, or ends before its length, throws {@link ProtocolException}.
   */
  Response read() throws IOException {
    return read(false);
  }

  /**
   * {@link #read()}, for a response to HEAD when {@code toHead}: its headers say the length of a
   * body it has not. But a HEAD the server could not parse is answered as any error, with a body
   * and a close: after a close, whatever comes is the body.
   */
  Response read(boolean toHead) throws IOException {
    String statusLine;
    try {
      statusLine = line();
    } catch (java.net.SocketException | javax.net.ssl.SSLException reset) {
      return null;
    }
    if (statusLine == null) return null;
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9][0-9]")) {
      throw new ProtocolException("not a status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new TreeMap<>();
    for (String h = line(); ; h = line()) {
      if (h == null) throw new ProtocolException("the connection ends inside the headers");
      if (h.isEmpty()) break;
      int colon = h.indexOf(':');
      if (colon < 1) throw new ProtocolException("not a header line: " + h);
      headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if (toHead) {
      if ("close".equalsIgnoreCase(headers.get("connection"))) in.transferTo(body);
      return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }
    if (length != null) {
      if (!length.matches("[0-9]{1,9}")) throw new ProtocolException("not a Content-Length: " + length);
      byte[] b = in.readNBytes(Integer.parseInt(length));
      if (b.length < Integer.parseInt(length)) throw new ProtocolException("the body ends after " + b.length + " of " + length + " bytes");
      body.write(b);
    } else if (status != 204 && status != 304 && status / 100 != 1) {
      in.transferTo(body); // no length: the body ends with the connection
    }
    return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  /** Whether the server closed (or reset) the connection: a read sees its end within the read timeout. */
  boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (java.net.SocketException | javax.net.ssl.SSLException reset) {
      return true;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c == -1) return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
      if (c != '\r') b.write(c);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
