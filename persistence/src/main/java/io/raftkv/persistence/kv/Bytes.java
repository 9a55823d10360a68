package io.raftkv.persistence.kv;

import java.util.HexFormat;

/** Value-array helpers shared by the records of this package: copies and a short readable form. */
final class Bytes {

  /** How many bytes of a value {@link #describe} shows; a log line must stay short. */
  private static final int SHOWN_BYTES_MAX = 32;

  private Bytes() {}

  /** A private copy, so that no caller can change an array that a record or the map holds. */
  static byte[] copy(byte[] bytes) {
    return bytes == null ? null : bytes.clone();
  }

  /**
   * A short readable form: the length, then the bytes as quoted text when they are printable
   * ASCII, else as hex; cut after {@value #SHOWN_BYTES_MAX} bytes. {@code null} is "missing".
   */
  static String describe(byte[] bytes) {
    if (bytes == null) {
      return "missing";
    }
    int shown = Math.min(bytes.length, SHOWN_BYTES_MAX);
    String more = bytes.length > shown ? "..." : "";
    StringBuilder text = new StringBuilder(bytes.length + " bytes ");
    if (printableAscii(bytes, shown)) {
      text.append('"');
      for (int i = 0; i < shown; i++) {
        text.append((char) bytes[i]);
      }
      return text.append('"').append(more).toString();
    }
    text.append("0x").append(HexFormat.of().formatHex(bytes, 0, shown));
    return text.append(more).toString();
  }

  private static boolean printableAscii(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] < 0x20 || bytes[i] > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
