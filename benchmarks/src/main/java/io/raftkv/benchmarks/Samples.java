package io.raftkv.benchmarks;

import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.raftlog.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The data every benchmark works on: 16-byte keys and 100-byte values, seeded so runs compare. */
final class Samples {
  static final int KEY_BYTES = 16;
  static final int VALUE_BYTES = 100;

  private Samples() {}

  /** Key number {@code i}: {@code "key-"} and 12 digits, 16 ASCII characters. */
  static String key(int i) {
    return String.format("key-%012d", i);
  }

  /** {@value #VALUE_BYTES} pseudo-random bytes (not compressible, like real payloads). */
  static byte[] value(SplittableRandom random) {
    byte[] value = new byte[VALUE_BYTES];
    random.nextBytes(value);
    return value;
  }

  /** A write of a client session, as the gateway proposes it: key {@code i}, a fresh value. */
  static KvCommand.Put put(int i, RequestId requestId, SplittableRandom random) {
    return new KvCommand.Put(requestId, key(i), value(random));
  }

  /** {@code count} log entries of term {@code term} from {@code firstIndex}, each a put of its own key. */
  static List<LogEntry> entries(long firstIndex, long term, int count, SplittableRandom random) {
    List<LogEntry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      entries.add(new LogEntry(firstIndex + i, term, put(i, RequestId.of(1, firstIndex + i), random)));
    }
    return entries;
  }

  /** 0 .. n-1 in a seeded random order, so a benchmark does not walk the map in key order. */
  static int[] shuffled(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
