package io.raftkv.client;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of keys (path segments) and query values, per RFC 3986.
 *
 * <p>Not {@link java.net.URLEncoder}: that is form encoding, which writes a space as {@code +},
 * and a {@code +} in a path is a plus.
 */
final class UrlCodec {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UrlCodec() {}

  /** The UTF-8 bytes of {@code text} with everything but the unreserved characters percent-encoded. */
  static String encode(String text) {
    return encode(text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code bytes} with everything but the unreserved characters percent-encoded. */
  static String encode(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (unreserved(c)) {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  /**
   * A key as one path segment. The segments {@code .} and {@code ..} are dot-segments that a URL
   * normalizer would remove, so their dots are encoded too.
   */
  static String pathSegment(String key) {
    if (key.equals(".") || key.equals("..")) {
      return key.replace(".", "%2E");
    }
    return encode(key);
  }

  private static boolean unreserved(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }
}
