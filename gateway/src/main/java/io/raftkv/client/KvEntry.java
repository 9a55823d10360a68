package io.raftkv.client;

import java.util.Arrays;
import java.util.Objects;

/** One key and its value, as a scan returns them. */
public record KvEntry(String key, byte[] value) {
  public KvEntry {
    Objects.requireNonNull(key, "key");
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvEntry e && e.key.equals(key) && Arrays.equals(e.value, value);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return key + "=" + Bytes.show(value);
  }
}
