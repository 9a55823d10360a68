package io.raftkv.persistence.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * One operation of a {@link KvCommand.Txn}'s branch. A branch's reads see the state its
 * comparisons saw, before any of its writes; a branch writes a key at most once.
 */
public sealed interface TxnOp permits TxnOp.Put, TxnOp.Delete, TxnOp.Get {

  String key();

  /** Kryo's worst case for this operation. */
  long sizeBytes();

  /**
   * Sets {@code key} to {@code value}, attached to {@code lease} (0: none). Answer:
   * {@link KvResult.Ok}; a lease that does not exist refuses the whole transaction
   * ({@link KvResult.LeaseNotFound}).
   */
  record Put(String key, byte[] value, long lease) implements TxnOp {
    public Put {
      Keys.requireKey(key);
      value = Bytes.copy(Objects.requireNonNull(value, "value"));
      if (lease < 0) {
        throw new IllegalArgumentException("lease must be >= 0 (0: none), got " + lease);
      }
    }

    /** A put attached to no lease. */
    public Put(String key, byte[] value) {
      this(key, value, 0);
    }

    @Override
    public byte[] value() {
      return Bytes.copy(value);
    }

    /** The value itself, not a copy: for this package, which never changes it. */
    byte[] rawValue() {
      return value;
    }

    @Override
    public long sizeBytes() {
      return SerializedSize.CLASS_MAX + SerializedSize.string(key) + SerializedSize.bytes(value.length)
          + SerializedSize.NUMBER_MAX;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Put p && key.equals(p.key) && Arrays.equals(value, p.value) && lease == p.lease;
    }

    @Override
    public int hashCode() {
      return (31 * key.hashCode() + Arrays.hashCode(value)) * 31 + Long.hashCode(lease);
    }

    @Override
    public String toString() {
      return "Put[" + key + "=" + Bytes.describe(value) + (lease == 0 ? "" : ", lease=" + lease) + "]";
    }
  }

  /** Removes {@code key}. Answer: {@link KvResult.Ok}, or {@link KvResult.NotFound}. */
  record Delete(String key) implements TxnOp {
    public Delete {
      Keys.requireKey(key);
    }

    @Override
    public long sizeBytes() {
      return SerializedSize.CLASS_MAX + SerializedSize.string(key);
    }
  }

  /** Reads {@code key}. Answer: {@link KvResult.Value}, or {@link KvResult.NotFound}. */
  record Get(String key) implements TxnOp {
    public Get {
      Keys.requireKey(key);
    }

    @Override
    public long sizeBytes() {
      return SerializedSize.CLASS_MAX + SerializedSize.string(key);
    }
  }
}
