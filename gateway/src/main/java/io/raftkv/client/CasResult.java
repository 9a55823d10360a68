package io.raftkv.client;

import java.util.Arrays;
import java.util.Optional;

/** The answer to a compare-and-set: it swapped, or it found another value and changed nothing. */
public sealed interface CasResult permits CasResult.Swapped, CasResult.Mismatch {

  /** Whether the new value was written. */
  boolean swapped();

  /** The key held the expected value (or was missing, as expected) and now holds the new one. */
  record Swapped() implements CasResult {
    @Override
    public boolean swapped() {
      return true;
    }
  }

  /**
   * The key held something else; nothing was written.
   *
   * @param current what it held; empty when it was missing
   */
  record Mismatch(Optional<byte[]> current) implements CasResult {
    public Mismatch {
      current = current.map(byte[]::clone);
    }

    @Override
    public Optional<byte[]> current() {
      return current.map(byte[]::clone);
    }

    @Override
    public boolean swapped() {
      return false;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Mismatch m && m.current.isPresent() == current.isPresent()
          && (current.isEmpty() || Arrays.equals(current.get(), m.current.get()));
    }

    @Override
    public int hashCode() {
      return current.map(Arrays::hashCode).orElse(-1);
    }

    @Override
    public String toString() {
      return "Mismatch[current=" + current.map(Bytes::show).orElse("missing") + "]";
    }
  }
}
