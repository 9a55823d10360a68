package io.raftkv.client;

import java.util.Arrays;
import java.util.Objects;

/**
 * A change a watch reports (docs/API.md, "Watch"): a put with the value written, or a delete
 * (value null, create revision and version 0).
 */
public record WatchEvent(Type type, String key, byte[] value, long createRevision, long modRevision, long version) {

  /** What happened to the key. */
  public enum Type { PUT, DELETE }

  public WatchEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    value = value == null ? null : value.clone();
  }

  @Override
  public byte[] value() {
    return value == null ? null : value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WatchEvent e && type == e.type && key.equals(e.key) && Arrays.equals(value, e.value)
        && createRevision == e.createRevision && modRevision == e.modRevision && version == e.version;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, key, Arrays.hashCode(value), createRevision, modRevision, version);
  }
}
