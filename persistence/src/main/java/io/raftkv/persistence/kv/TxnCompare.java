package io.raftkv.persistence.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * One condition of a {@link KvCommand.Txn}: a key's value, version, create revision or mod
 * revision against a given one. A missing key has version, create and mod revision 0, and no
 * value: every comparison of a missing key's value is false (as etcd does).
 *
 * @param number the number compared with (version or revision targets; 0 for {@link Target#VALUE})
 * @param value the bytes compared with, lexicographically as unsigned bytes ({@link Target#VALUE}
 *     only, else null)
 */
public record TxnCompare(String key, Target target, Op op, long number, byte[] value) {

  /** What of the key is compared. */
  public enum Target { VALUE, VERSION, CREATE, MOD }

  /** How. */
  public enum Op { EQUAL, NOT_EQUAL, LESS, GREATER }

  public TxnCompare {
    Keys.requireKey(key);
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(op, "op");
    if (target == Target.VALUE) {
      value = Bytes.copy(Objects.requireNonNull(value, "a value comparison needs a value"));
      if (number != 0) {
        throw new IllegalArgumentException("a value comparison takes no number");
      }
    } else if (value != null) {
      throw new IllegalArgumentException("a " + target + " comparison takes a number, not a value");
    } else if (number < 0) {
      throw new IllegalArgumentException(target + " must be >= 0, got " + number);
    }
  }

  /** Compares the value of {@code key}. */
  public static TxnCompare value(String key, Op op, byte[] value) {
    return new TxnCompare(key, Target.VALUE, op, 0, value);
  }

  /** Compares the version, create or mod revision of {@code key}. */
  public static TxnCompare number(String key, Target target, Op op, long number) {
    return new TxnCompare(key, target, op, number, null);
  }

  @Override
  public byte[] value() {
    return Bytes.copy(value);
  }

  /** Whether it holds for {@code current}, the key's live version or null when missing. */
  boolean holdsFor(byte[] currentValue, KeyRevisions current) {
    int order;
    if (target == Target.VALUE) {
      if (currentValue == null) {
        return false;
      }
      order = Arrays.compareUnsigned(currentValue, value);
    } else {
      long actual = current == null ? 0 : switch (target) {
        case VERSION -> current.version();
        case CREATE -> current.createRevision();
        case MOD -> current.modRevision();
        case VALUE -> throw new AssertionError();
      };
      order = Long.compare(actual, number);
    }
    return switch (op) {
      case EQUAL -> order == 0;
      case NOT_EQUAL -> order != 0;
      case LESS -> order < 0;
      case GREATER -> order > 0;
    };
  }

  /** Kryo's worst case for this comparison. */
  long sizeBytes() {
    return SerializedSize.CLASS_MAX + SerializedSize.string(key) + 2 * SerializedSize.CLASS_MAX
        + SerializedSize.NUMBER_MAX + SerializedSize.bytes(value == null ? 0 : value.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TxnCompare c && key.equals(c.key) && target == c.target && op == c.op
        && number == c.number && Arrays.equals(value, c.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, target, op, number, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "TxnCompare[" + key + " " + target + " " + op + " "
        + (target == Target.VALUE ? Bytes.describe(value) : String.valueOf(number)) + "]";
  }
}
