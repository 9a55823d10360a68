package io.raftkv.persistence.kv;

import java.util.Arrays;
import java.util.Objects;

/** One key and its value, as a scan returns them. The value is copied in and out. */
public record KvEntry(String key, byte[] value) {

  public KvEntry {
    Objects.requireNonNull(key, "key");
    value = Bytes.copy(Objects.requireNonNull(value, "value"));
  }

  /**
   * At least as many bytes as an entry of {@code key} and a value of {@code valueBytes} bytes takes
   * serialized in a scan's answer (its class id, the key, the value): what a scan's byte budget counts.
   */
  public static long sizeBytes(String key, int valueBytes) {
    return SerializedSize.CLASS_MAX + SerializedSize.string(key) + SerializedSize.bytes(valueBytes);
  }

  @Override
  public byte[] value() {
    return Bytes.copy(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvEntry e && key.equals(e.key) && Arrays.equals(value, e.value);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return key + "=" + Bytes.describe(value);
  }
}
