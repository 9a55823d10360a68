package io.raftkv.persistence.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * One key, its value and where the value stands in history, as a scan returns them. The value is
 * copied in and out.
 */
public record KvEntry(String key, byte[] value, KeyRevisions revisions) {

  /** {@link KeyRevisions} serialized, at most: a class id and three numbers. */
  static final int REVISIONS_BYTES_MAX = SerializedSize.CLASS_MAX + 3 * SerializedSize.NUMBER_MAX;

  public KvEntry {
    Objects.requireNonNull(key, "key");
    value = Bytes.copy(Objects.requireNonNull(value, "value"));
    Objects.requireNonNull(revisions, "revisions");
  }

  /**
   * At least as many bytes as an entry of {@code key} and a value of {@code valueBytes} bytes takes
   * serialized in a scan's answer (its class id, the key, the value, the revisions): what a scan's
   * byte budget counts.
   */
  public static long sizeBytes(String key, int valueBytes) {
    return SerializedSize.CLASS_MAX + SerializedSize.string(key) + SerializedSize.bytes(valueBytes)
        + REVISIONS_BYTES_MAX;
  }

  @Override
  public byte[] value() {
    return Bytes.copy(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvEntry e && key.equals(e.key) && Arrays.equals(value, e.value)
        && revisions.equals(e.revisions);
  }

  @Override
  public int hashCode() {
    return (31 * key.hashCode() + Arrays.hashCode(value)) * 31 + revisions.hashCode();
  }

  @Override
  public String toString() {
    return key + "=" + Bytes.describe(value);
  }
}
