package io.raftkv.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One connection's worth of random, mostly malformed HTTP/1.x for {@link HttpFuzzTest}: one request
 * or a few pipelined, made from {@code seed} alone, so a seed names its bytes exactly.
 *
 * @param methods the method token of each request, in order: an answer to {@code HEAD} has no body
 */
record HttpFuzzCase(long seed, byte[] bytes, List<String> methods) {
  private static final String[] KNOWN_METHODS = {"GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT"};
  private static final String[] ODD_METHODS = {"BREW", "PRI", "get", "Put", "G=T", "GET\u0000", "", "M-SEARCH", "PROPFIND"};
  /**
   * Targets to mangle. No {@code /v1/members/{id}}: a well-formed DELETE or promote there is a
   * membership change, and a node left without its quorum would rightly answer later writes 503.
   */
  private static final String[] TARGETS = {"/v1/kv/k", "/v1/kv/fuzz", "/v1/kv", "/v1/kv/k/append", "/v1/kv/k/cas", "/health", "/metrics",
      "/v1/cluster", "/v1/session", "/v1/members", "/", "*", "http://x/v1/kv/k", "http://elsewhere/health", "ftp://x/v1/kv/k",
      "//x/health", "?", "", "/v1/kv/%E2%82%AC"};
  private static final String[] BAD_ESCAPES = {"%", "%4", "%zz", "%%", "%g0", "%ff", "%C0%AF", "%ED%A0%80", "%00", "%0D%0A", "%E2%82"};
  private static final String[] QUERIES = {"?consistency=serializable", "?consistency=bogus", "?limit=-1", "?limit=99999999999", "?limit=",
      "?prefix=%ff&after=", "?expected=x&expected=y", "?&&=", "?limit=1&limit=abc", "?a[]=1"};
  private static final String[] ODD_VERSIONS = {"HTTP/0.9", "HTTP/2.0", "HTTP/9.9", "HTTP/1.2", "HTTP/1.10", "http/1.1", "HTTP/1",
      "HTTP/", "HTTP/1.1 extra", "", "HTTP/1.1\u0000", "HTTP /1.1", "HTTP/3"};
  private static final String[] BAD_LENGTHS = {"-1", "abc", "99999999999999999999", "1, 2", "", "+5", " 5 ", "0x10", "5.0", "1e3"};
  private static final String[] CODINGS = {"chunked, chunked", "gzip", "identity", "Chunked", "gzip, chunked", "chunked;q=1", "", "chunked\u0000"};
  private static final String[] CHUNK_SIZES = {"zz", "-1", "ffffffffffffffffff", "0x5", " 5", "5 ", "5;ext=\u0001", "", "7fffffff", "5\u0000"};

  static HttpFuzzCase generate(long seed) {
    Random r = new Random(seed);
    int requests = r.nextInt(5) == 0 ? 2 + r.nextInt(3) : 1; // a fifth pipelined
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> methods = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      String method = method(r);
      methods.add(method);
      out.writeBytes(request(r, method, i == requests - 1));
    }
    return new HttpFuzzCase(seed, out.toByteArray(), List.copyOf(methods));
  }

  private static byte[] request(Random r, String method, boolean last) {
    String eol = r.nextInt(20) == 0 ? "\n" : "\r\n";
    StringBuilder head = new StringBuilder(method).append(' ').append(target(r));
    if (r.nextInt(30) != 0) head.append(' ').append(version(r)); // else HTTP/0.9's bare line
    head.append(eol);
    if (r.nextInt(20) != 0) head.append("Host: x").append(eol);
    int extra = r.nextInt(4);
    for (int i = 0; i < extra; i++) head.append(header(r)).append(eol);
    if (last && r.nextBoolean()) head.append("Connection: close").append(eol); // so the server need not wait for more
    StringBuilder body = new StringBuilder();
    frame(r, head, body, eol);
    head.append(eol).append(body);
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String method(Random r) {
    int k = r.nextInt(10);
    if (k < 7) return pick(r, KNOWN_METHODS);
    if (k < 9) return pick(r, ODD_METHODS);
    return r.nextBoolean() ? "X".repeat(1 + r.nextInt(20_000)) : randomBytes(r, 1 + r.nextInt(12));
  }

  private static String version(Random r) {
    int k = r.nextInt(10);
    return k < 7 ? "HTTP/1.1" : k < 8 ? "HTTP/1.0" : pick(r, ODD_VERSIONS);
  }

  private static String target(Random r) {
    StringBuilder t = new StringBuilder(pick(r, TARGETS));
    int mutations = r.nextBoolean() ? 0 : 1 + r.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      int at = r.nextInt(t.length() + 1);
      switch (r.nextInt(5)) {
        case 0 -> t.insert(at, randomBytes(r, 1 + r.nextInt(3)));
        case 1 -> t.insert(at, pick(r, BAD_ESCAPES));
        case 2 -> t.append(pick(r, QUERIES));
        case 3 -> t.insert(at, r.nextBoolean() ? "/../" : "/./");
        default -> t.append("k".repeat(1 + r.nextInt(r.nextInt(4) == 0 ? 20_000 : 200)));
      }
    }
    return t.toString();
  }

  /** A header beside Host and the body's framing: the session headers, duplicates; a quarter of them broken or huge. */
  private static String header(Random r) {
    if (r.nextInt(4) == 0) {
      return switch (r.nextInt(7)) {
        case 0 -> ": no name";
        case 1 -> "no colon at all";
        case 2 -> "Bad Name: v";
        case 3 -> " folded continuation";
        case 4 -> "X-Bytes: " + randomBytes(r, 1 + r.nextInt(16));
        case 5 -> "X-Huge: " + "a".repeat(1000 + r.nextInt(100_000));
        default -> "X-Many: v\r\n".repeat(r.nextInt(200)) + "X-Many: v";
      };
    }
    return switch (r.nextInt(8)) {
      case 0 -> "Raftkv-Client-Id: " + number(r);
      case 1 -> "Raftkv-Request-Seq: " + number(r);
      case 2 -> "Expect: 100-continue";
      case 3 -> "Connection: " + (r.nextBoolean() ? "keep-alive" : randomBytes(r, 4));
      case 4 -> "Host: y";
      case 5 -> "Content-Type: " + (r.nextBoolean() ? "application/json" : randomBytes(r, 6));
      case 6 -> "Accept: */*";
      default -> "Upgrade: " + (r.nextBoolean() ? "websocket" : "h2c");
    };
  }

  /** The body and the headers that frame it, or fail to. */
  private static void frame(Random r, StringBuilder head, StringBuilder body, String eol) {
    String data = r.nextInt(4) == 0 ? randomBytes(r, r.nextInt(64)) : "v".repeat(r.nextInt(100));
    switch (r.nextInt(10)) {
      case 0, 1, 2 -> { } // no body
      case 3 -> { // a body that matches its length
        head.append("Content-Length: ").append(data.length()).append(eol);
        body.append(data);
      }
      case 4 -> { // a length the body does not have: short (truncated) or long (the rest is taken for the next request)
        head.append("Content-Length: ").append(data.length() + (r.nextBoolean() ? 1 + r.nextInt(100) : -Math.min(data.length(), 3))).append(eol);
        body.append(data);
      }
      case 5 -> { // a length that is no length, given twice, or twice differently
        String length = r.nextBoolean() ? pick(r, BAD_LENGTHS) : Integer.toString(data.length());
        head.append("Content-Length: ").append(length).append(eol);
        if (r.nextBoolean()) head.append("Content-Length: ").append(r.nextBoolean() ? length : data.length() + 1).append(eol);
        body.append(data);
      }
      case 6 -> { // a body with no framing at all (on a GET: the next request's bytes)
        body.append(data);
      }
      default -> { // chunked: well-formed, with odd codings, garbage sizes, cut short, or beside a Content-Length
        head.append("Transfer-Encoding: ").append(r.nextInt(3) == 0 ? pick(r, CODINGS) : "chunked").append(eol);
        if (r.nextInt(6) == 0) head.append("Content-Length: ").append(data.length()).append(eol);
        body.append(chunks(r, data, eol));
      }
    }
  }

  private static String chunks(Random r, String data, String eol) {
    StringBuilder b = new StringBuilder();
    if (!data.isEmpty()) {
      String size = r.nextInt(4) == 0 ? pick(r, CHUNK_SIZES) : Integer.toHexString(data.length());
      b.append(size).append(eol).append(data).append(r.nextInt(8) == 0 ? "" : eol);
    }
    switch (r.nextInt(6)) {
      case 0 -> { } // cut short: no last chunk
      case 1 -> b.append("0").append(eol); // no end after the last chunk
      case 2 -> b.append("0").append(eol).append("X-Trailer: t").append(eol).append(eol);
      default -> b.append("0").append(eol).append(eol);
    }
    return b.toString();
  }

  private static String number(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> Long.toString(r.nextLong());
      case 1 -> Integer.toString(1 + r.nextInt(5));
      case 2 -> "99999999999999999999";
      default -> randomBytes(r, 3);
    };
  }

  /** Any bytes (as ISO-8859-1 characters), CR, LF and NUL included. */
  private static String randomBytes(Random r, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) b.append((char) r.nextInt(256));
    return b.toString();
  }

  private static String pick(Random r, String[] choices) {
    return choices[r.nextInt(choices.length)];
  }

  /** The bytes as a Java string literal would write them: printable ASCII as is, the rest escaped. */
  String escaped() {
    StringBuilder b = new StringBuilder("\"");
    for (byte x : bytes) {
      int c = x & 0xff;
      switch (c) {
        case '\r' -> b.append("\\r");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> b.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\u%04x", c));
      }
    }
    return b.append('"').toString();
  }
}
