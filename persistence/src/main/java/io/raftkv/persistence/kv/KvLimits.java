package io.raftkv.persistence.kv;

import java.util.List;
import java.util.Optional;

/**
 * Size bounds of keys, values and scans.
 *
 * <p>{@link #validate} is meant for the entrance: the gateway or leader checks a command before
 * proposing it, so an oversize one never takes log space. {@link KvStateMachine} checks again
 * when applying (and checks the size an append would produce, which only the state knows), so
 * these bounds are part of the replicated behaviour: configure the same ones on every node.
 *
 * <p>They also bound what travels between nodes: {@link #commandBytesMax()}, {@link
 * #resultBytesMax()} and {@link #scanResultBytesMax()} are the largest serialized command, answer
 * and scan answer these limits allow, from which the node sizes its transport's frame.
 *
 * @param keyBytesMax largest key, in bytes of its UTF-8 form (also bounds a scan prefix)
 * @param valueBytesMax largest value, in bytes, including one grown by appends
 * @param scanEntriesMax largest number of entries one scan may ask for
 * @param scanBytesMax the bytes of entries (keys and values, as {@link KvEntry#sizeBytes} counts
 *     them) one scan answer holds at most: a scan stops before the entry that would pass it and
 *     says it was truncated; its first entry is always returned, whatever its size, so paging
 *     goes on
 */
public record KvLimits(int keyBytesMax, int valueBytesMax, int scanEntriesMax, long scanBytesMax) {

  public static final String KEY_BYTES_MAX = "keyBytesMax";
  public static final String VALUE_BYTES_MAX = "valueBytesMax";
  public static final String SCAN_ENTRIES_MAX = "scanEntriesMax";
  public static final String TXN_OPS_MAX = "txnOpsMax";
  public static final String TXN_BYTES_MAX = "txnBytesMax";
  public static final String TXN_ANSWER_BYTES_MAX = "txnAnswerBytesMax";

  /**
   * The most comparisons, and the most operations in each branch, of one transaction (etcd's
   * default too). Fixed, not configured: it bounds the answer of a transaction, which the
   * transport's frame is sized for.
   */
  public static final int TXN_OPS_PER_LIST_MAX = 128;

  /** The largest array most JVMs allocate; a bound above it could never be reached. */
  public static final int ARRAY_BYTES_MAX = Integer.MAX_VALUE - 8;

  /** {@code raftkv.kv.scan-bytes-max}'s default: 4 MiB. */
  public static final long DEFAULT_SCAN_BYTES_MAX = 4L << 20;

  /** A scan answer's own fields beside its entries, at most: its class, the list's class and size, the flag. */
  private static final int SCAN_RESULT_HEADER_MAX = 2 * SerializedSize.CLASS_MAX + SerializedSize.NUMBER_MAX + 1;

  /**
   * The answers without a value (Ok, NotFound, SessionRegistered, StaleRequest, LimitExceeded with
   * its setting's name) at most: a class id, three numbers and a short name.
   */
  private static final int SMALL_RESULT_MAX = 64;

  public KvLimits {
    requireRange(KEY_BYTES_MAX, keyBytesMax, "bytes");
    requireRange(VALUE_BYTES_MAX, valueBytesMax, "bytes");
    requireRange(SCAN_ENTRIES_MAX, scanEntriesMax, "entries");
    if (scanBytesMax < 1) {
      throw new IllegalArgumentException("scanBytesMax must be at least 1 byte, got " + scanBytesMax);
    }
  }

  /** Limits with the default scan byte budget ({@link #DEFAULT_SCAN_BYTES_MAX}). */
  public KvLimits(int keyBytesMax, int valueBytesMax, int scanEntriesMax) {
    this(keyBytesMax, valueBytesMax, scanEntriesMax, DEFAULT_SCAN_BYTES_MAX);
  }

  /**
   * The largest {@link KvCommand#sizeBytes()} of any command these limits let in: a cas with the
   * longest key, an expected value and a new value of {@code valueBytesMax} each.
   */
  public long commandBytesMax() {
    return SerializedSize.WRITE_HEADER_MAX
        + SerializedSize.stringOfUtf8Bytes(keyBytesMax)
        + 2 * SerializedSize.bytes(valueBytesMax);
  }

  /**
   * The largest serialized answer other than a scan's: a value read, or the current value a cas
   * mismatch reports, of {@code valueBytesMax} bytes.
   */
  public long resultBytesMax() {
    return Math.max(SMALL_RESULT_MAX, SerializedSize.CLASS_MAX + SerializedSize.bytes(valueBytesMax) + KvEntry.REVISIONS_BYTES_MAX);
  }

  /**
   * The largest serialized transaction answer: a small answer per operation and the values its
   * reads return ({@link #txnAnswerBytesMax()}); never more than {@link #scanResultBytesMax()}, so
   * the frame sized for a scan's answer carries it.
   */
  public long txnResultBytesMax() {
    return SCAN_RESULT_HEADER_MAX + (long) TXN_OPS_PER_LIST_MAX * SMALL_RESULT_MAX + txnAnswerBytesMax();
  }

  /**
   * The bytes (as {@link KvEntry#sizeBytes} counts them) of the values one transaction's reads may
   * return: a transaction whose reads would return more is refused whole
   * ({@link #TXN_ANSWER_BYTES_MAX}). The scan budget less room for the answers of every operation,
   * so that a transaction's answer is never larger than a scan's.
   */
  public long txnAnswerBytesMax() {
    return Math.max(0, scanBytesMax - (long) TXN_OPS_PER_LIST_MAX * SMALL_RESULT_MAX);
  }

  /**
   * The largest {@link KvCommand#sizeBytes()} of a transaction: that of the largest single
   * command, so a transaction fits wherever a cas does (two values at the limit, for example a
   * compare and a put of one, or puts of two).
   */
  public long txnBytesMax() {
    return commandBytesMax();
  }

  /**
   * The largest serialized scan answer: {@code scanBytesMax} of entries, or a single entry of the
   * longest key and value when that is larger (a scan always returns its first entry).
   */
  public long scanResultBytesMax() {
    long oneEntryMax = SerializedSize.CLASS_MAX
        + SerializedSize.stringOfUtf8Bytes(keyBytesMax)
        + SerializedSize.bytes(valueBytesMax);
    return SCAN_RESULT_HEADER_MAX + Math.max(scanBytesMax, oneEntryMax);
  }

  private static void requireRange(String setting, int value, String unit) {
    if (value < 1 || value > ARRAY_BYTES_MAX) {
      throw new IllegalArgumentException(
          setting + " must be between 1 and " + ARRAY_BYTES_MAX + " " + unit + ", got " + value);
    }
  }

  /**
   * The first bound {@code command} breaks, or empty when it fits. Checks the key (or scan
   * prefix and start key), the value, a cas's expected value, and a scan's limit.
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
    } else if (command instanceof KvCommand.ScanAfter s) {
      return firstOf(
          checkKey(s.prefix()),
          firstOf(checkKey(s.startAfter()), checkScanEntries(s.limitEntries())));
    } else if (command instanceof KvCommand.Txn t) {
      return validateTxn(t);
    } else if (command instanceof KvCommand.RegisterSession || command instanceof KvCommand.Compact
        || command instanceof KvCommand.LeaseGrant || command instanceof KvCommand.LeaseCommand) {
      return Optional.empty();
    }
    throw new IllegalArgumentException("unknown command " + command);
  }

  private Optional<KvResult.LimitExceeded> validateTxn(KvCommand.Txn txn) {
    int longest = Math.max(txn.compares().size(), Math.max(txn.success().size(), txn.failure().size()));
    if (longest > TXN_OPS_PER_LIST_MAX) {
      return Optional.of(new KvResult.LimitExceeded(TXN_OPS_MAX, longest, TXN_OPS_PER_LIST_MAX));
    }
    for (TxnCompare compare : txn.compares()) {
      Optional<KvResult.LimitExceeded> refused = firstOf(checkKey(compare.key()),
          compare.target() == TxnCompare.Target.VALUE ? checkValueBytes(compare.value().length) : Optional.empty());
      if (refused.isPresent()) {
        return refused;
      }
    }
    for (List<TxnOp> branch : List.of(txn.success(), txn.failure())) {
      for (TxnOp op : branch) {
        Optional<KvResult.LimitExceeded> refused = firstOf(checkKey(op.key()),
            op instanceof TxnOp.Put put ? checkValueBytes(put.rawValue().length) : Optional.empty());
        if (refused.isPresent()) {
          return refused;
        }
      }
    }
    long bytes = txn.sizeBytes();
    return bytes > txnBytesMax()
        ? Optional.of(new KvResult.LimitExceeded(TXN_BYTES_MAX, bytes, txnBytesMax()))
        : Optional.empty();
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
