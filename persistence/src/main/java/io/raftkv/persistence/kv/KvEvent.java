package io.raftkv.persistence.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * A change of one key at one revision, as a watch reports it: a put (with the value written) or
 * a delete (value null; its {@code revisions} hold only the mod revision, the delete's).
 */
public record KvEvent(Type type, String key, byte[] value, KeyRevisions revisions) {

  /** What happened to the key. */
  public enum Type { PUT, DELETE }

  public KvEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(revisions, "revisions");
    if ((type == Type.PUT) != (value != null)) {
      throw new IllegalArgumentException("a put has a value and a delete has none");
    }
    value = Bytes.copy(value);
  }

  static KvEvent of(String key, KvStore.Version version) {
    return version.isTombstone()
        ? new KvEvent(Type.DELETE, key, null, new KeyRevisions(0, version.modRevision(), 0))
        : new KvEvent(Type.PUT, key, version.value(), version.revisions());
  }

  /** The revision of the change. */
  public long modRevision() {
    return revisions.modRevision();
  }

  @Override
  public byte[] value() {
    return Bytes.copy(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvEvent e && type == e.type && key.equals(e.key)
        && Arrays.equals(value, e.value) && revisions.equals(e.revisions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, key, Arrays.hashCode(value), revisions);
  }

  @Override
  public String toString() {
    return type + "[" + key + (value == null ? "" : "=" + Bytes.describe(value)) + ", " + revisions + "]";
  }
}
