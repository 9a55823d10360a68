package io.raftkv.persistence.kv;

/**
 * Upper bounds on how many bytes Kryo writes for the parts of the key-value records, so that the
 * sizes the Raft node bounds its messages by ({@code sizeBytes()} of a command, the byte budget of
 * a scan) are never below the bytes that travel. Each bound is Kryo 5's worst case for the part,
 * not its usual size: a few bytes too many per record is the price of never being short.
 */
final class SerializedSize {

  /** A long or int in Kryo's variable-length form: at most 10 bytes. */
  static final int NUMBER_MAX = 10;

  /**
   * What Kryo writes before a value whose declared type is not final (a command in a log entry, an
   * element of a list): a null marker or the registered class id, at most 3 bytes for ids below 2^21.
   */
  static final int CLASS_MAX = 3;

  /** A length prefix (with its null marker), as Kryo writes it before a string or an array. */
  static final int LENGTH_MAX = 5;

  /**
   * A write's fixed part: its class, and its {@link RequestId} (a null marker and two numbers).
   * The key and the values come on top.
   */
  static final int WRITE_HEADER_MAX = CLASS_MAX + 1 + 2 * NUMBER_MAX;

  private SerializedSize() {}

  /**
   * Kryo's worst case for {@code text}: a length prefix and, per UTF-16 char, 1 byte below U+0080,
   * 2 below U+0800 and 3 above (each half of a surrogate pair takes 3).
   */
  static long string(String text) {
    long bytes = LENGTH_MAX;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    return bytes;
  }

  /**
   * Kryo's worst case for any string whose UTF-8 form has at most {@code utf8BytesMax} bytes: a
   * supplementary character takes 4 bytes in UTF-8 and 6 in Kryo (two surrogates), the worst ratio.
   */
  static long stringOfUtf8Bytes(long utf8BytesMax) {
    return LENGTH_MAX + (3 * utf8BytesMax + 1) / 2;
  }

  /** A byte array of {@code length} bytes, or null (length 0). */
  static long bytes(long length) {
    return LENGTH_MAX + length;
  }

  /** {@code bytes} as the int of {@code sizeBytes()}, capped rather than wrapped round. */
  static int capped(long bytes) {
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }
}
