package io.raftkv.persistence.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The keys and values: a sorted map safe for one writer and any number of concurrent readers.
 *
 * <p>Why readers need no lock: the skip list is concurrent, and a stored array is never changed
 * after it is put (an append stores a new array), so a reader sees each value whole, either
 * before or after a write. Arrays leave this package only as copies (the records copy them), so
 * no caller can change one.
 * The map is replaced whole on restore, through a volatile field, so a reader never sees half a
 * snapshot. Keys are ordered by {@link String#compareTo} (UTF-16 code units).
 */
final class KvStore {

  private volatile ConcurrentSkipListMap<String, byte[]> map = new ConcurrentSkipListMap<>();

  /**
   * At most {@code limitEntries} entries whose key starts with {@code prefix} and comes after
   * {@code startAfter} (null: from the first), in key order, and no more than {@code bytesMax} of
   * them as {@link KvEntry#sizeBytes} counts (the first is returned whatever its size); any
   * thread. Keys sharing a prefix are contiguous in this order, starting at the prefix itself.
   */
  KvResult.ScanResult scan(String prefix, String startAfter, int limitEntries, long bytesMax) {
    if (limitEntries < 1) {
      throw new IllegalArgumentException("limitEntries must be >= 1, got " + limitEntries);
    }
    List<KvEntry> entries = new ArrayList<>(Math.min(limitEntries, 64));
    NavigableMap<String, byte[]> from = startAfter == null || startAfter.compareTo(prefix) < 0
        ? map.tailMap(prefix, true)
        : map.tailMap(startAfter, false);
    Iterator<Map.Entry<String, byte[]>> matching = from.entrySet().iterator();
    long bytes = 0;
    while (matching.hasNext()) {
      Map.Entry<String, byte[]> entry = matching.next();
      if (!entry.getKey().startsWith(prefix)) {
        break;
      }
      if (entries.size() == limitEntries) {
        return new KvResult.ScanResult(entries, true);
      }
      long entryBytes = KvEntry.sizeBytes(entry.getKey(), entry.getValue().length);
      if (!entries.isEmpty() && bytes + entryBytes > bytesMax) {
        return new KvResult.ScanResult(entries, true);
      }
      bytes += entryBytes;
      entries.add(new KvEntry(entry.getKey(), entry.getValue()));
    }
    return new KvResult.ScanResult(entries, false);
  }

  /**
   * The stored array of {@code key}, or null; not a copy, so callers only compare it or wrap it
   * in a record that copies it. Any thread.
   */
  byte[] peek(String key) {
    return map.get(key);
  }

  /** Stores {@code value}, which the caller hands over and never changes afterwards. */
  void put(String key, byte[] value) {
    map.put(key, value);
  }

  /** Whether the key was present. */
  boolean delete(String key) {
    return map.remove(key) != null;
  }

  /**
   * Whether {@code current} (null = missing) is what a cas {@code expected} (null = missing):
   * {@link Arrays#equals(byte[], byte[])} treats two nulls as equal and null unlike any array,
   * so a missing key never matches an expected empty value.
   */
  static boolean matches(byte[] current, byte[] expected) {
    return Arrays.equals(current, expected);
  }

  /** The map itself, read-only by convention: for the snapshot writer, on the writer's thread. */
  NavigableMap<String, byte[]> entries() {
    return map;
  }

  /** Replaces all contents at once; {@code contents} is handed over. */
  void replaceAll(ConcurrentSkipListMap<String, byte[]> contents) {
    map = contents;
  }

  int size() {
    return map.size();
  }
}
