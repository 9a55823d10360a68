package io.raftkv.persistence.kv;

import java.util.Optional;

/**
 * Size bounds of keys, values and scans.
 *
 * <p>{@link #validate} is meant for the entrance: the gateway or leader checks a command before
 * proposing it, so an oversize one never takes log space. {@link KvStateMachine} checks again
 * when applying (and checks the size an append would produce, which only the state knows), so
 * these bounds are part of the replicated behaviour: configure the same ones on every node.
 *
 * @param keyBytesMax largest key, in bytes of its UTF-8 form (also bounds a scan prefix)
 * @param valueBytesMax largest value, in bytes, including one grown by appends
 * @param scanEntriesMax largest number of entries one scan may ask for
 */
public record KvLimits(int keyBytesMax, int valueBytesMax, int scanEntriesMax) {

  public static final String KEY_BYTES_MAX = "keyBytesMax";
  public static final String VALUE_BYTES_MAX = "valueBytesMax";
  public static final String SCAN_ENTRIES_MAX = "scanEntriesMax";

  /** The largest array most JVMs allocate; a bound above it could never be reached. */
  public static final int ARRAY_BYTES_MAX = Integer.MAX_VALUE - 8;

  public KvLimits {
    requireRange(KEY_BYTES_MAX, keyBytesMax, "bytes");
    requireRange(VALUE_BYTES_MAX, valueBytesMax, "bytes");
    requireRange(SCAN_ENTRIES_MAX, scanEntriesMax, "entries");
  }

  private static void requireRange(String setting, int value, String unit) {
    if (value < 1 || value > ARRAY_BYTES_MAX) {
      throw new IllegalArgumentException(
          setting + " must be between 1 and " + ARRAY_BYTES_MAX + " " + unit + ", got " + value);
    }
  }

  /**
   * The first bound {@code command} breaks, or empty when it fits. Checks the key (or scan
   * prefix), the value, a cas's expected value, and a scan's limit.
   */
  public Optional<KvResult.LimitExceeded> validate(KvCommand command) {
    // Java 17 has no pattern matching for switch (a preview there), hence the instanceof chain.
    if (command instanceof KvCommand.Put p) {
      return firstOf(checkKey(p.key()), checkValueBytes(p.rawValue().length));
    } else if (command instanceof KvCommand.Append a) {
      return firstOf(checkKey(a.key()), checkValueBytes(a.rawValue().length));
    } else if (command instanceof KvCommand.CompareAndSet c) {
      byte[] expected = c.rawExpected();
      return firstOf(
          checkKey(c.key()),
          firstOf(
              checkValueBytes(expected == null ? 0 : expected.length),
              checkValueBytes(c.rawValue().length)));
    } else if (command instanceof KvCommand.Delete d) {
      return checkKey(d.key());
    } else if (command instanceof KvCommand.Get g) {
      return checkKey(g.key());
    } else if (command instanceof KvCommand.Scan s) {
      return firstOf(checkKey(s.prefix()), checkScanEntries(s.limitEntries()));
    } else if (command instanceof KvCommand.RegisterSession) {
      return Optional.empty();
    }
    throw new IllegalArgumentException("unknown command " + command);
  }

  /** Whether a value of {@code bytes} bytes (for example, one an append would make) fits. */
  public Optional<KvResult.LimitExceeded> checkValueBytes(long bytes) {
    return bytes > valueBytesMax
        ? Optional.of(new KvResult.LimitExceeded(VALUE_BYTES_MAX, bytes, valueBytesMax))
        : Optional.empty();
  }

  private Optional<KvResult.LimitExceeded> checkKey(String key) {
    // A UTF-8 form is at most 3 bytes per char: most keys are decided without counting.
    if ((long) key.length() * 3 <= keyBytesMax) {
      return Optional.empty();
    }
    int bytes = Keys.utf8Length(key, "key");
    return bytes > keyBytesMax
        ? Optional.of(new KvResult.LimitExceeded(KEY_BYTES_MAX, bytes, keyBytesMax))
        : Optional.empty();
  }

  private Optional<KvResult.LimitExceeded> checkScanEntries(int entries) {
    return entries > scanEntriesMax
        ? Optional.of(new KvResult.LimitExceeded(SCAN_ENTRIES_MAX, entries, scanEntriesMax))
        : Optional.empty();
  }

  private static Optional<KvResult.LimitExceeded> firstOf(
      Optional<KvResult.LimitExceeded> first, Optional<KvResult.LimitExceeded> second) {
    return first.isPresent() ? first : second;
  }
}
