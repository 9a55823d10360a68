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

  /** Sets {@code key} to {@code value}. Answer: {@link KvResult.Ok}. */
  record Put(String key, byte[] value) implements TxnOp {
    public Put {
      Keys.requireKey(key);
      value = Bytes.copy(Objects.requireNonNull(value, "value"));
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
      return SerializedSize.CLASS_MAX + SerializedSize.string(key) + SerializedSize.bytes(value.length);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Put p && key.equals(p.key) && Arrays.equals(value, p.value);
    }

    @Override
    public int hashCode() {
      return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Put[" + key + "=" + Bytes.describe(value) + "]";
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
