package io.raftkv.persistence.kv;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The keys and values: a sorted map with one writer (the owner, which applies the log), any
 * number of concurrent readers, and at most one pinned snapshot written by another thread while
 * the owner goes on writing.
 *
 * <h2>Readers</h2>
 *
 * Readers need no lock: the skip list is concurrent, and a stored {@link Version} and its array
 * never change after they are put (an append stores a new array), so a reader sees each value
 * whole, either before or after a write. Arrays leave this package only as copies (the records
 * copy them), so no caller can change one. Readers see the newest version of a key and skip
 * tombstones. The map is replaced whole on restore, through a volatile field, so a reader never
 * sees half a snapshot. Keys are ordered by {@link String#compareTo} (UTF-16 code units).
 *
 * <h2>A snapshot "as of index s" while writes go on (two versions at most)</h2>
 *
 * Each version records the log index that wrote it. While a snapshot is pinned at index {@code s}
 * (the last applied index when {@link #pin} was called; every version then has an index <= s),
 * a write at index {@code i > s} to a key whose current version is {@code cur} stores
 * {@code new Version(value, i, asOf(cur, s))}, where {@code asOf(cur, s)} is {@code cur} when
 * {@code cur.index <= s} and {@code cur.older} otherwise. By induction over the writes, for every
 * version {@code v} in the map during the pin, {@code asOf(v, s)} is the key's version at s (null
 * when the key had none): true of the versions present at the pin, and each write keeps it. So a
 * chain is at most two long, and the snapshot writer, reading any version of a key at any moment,
 * derives the same version at s.
 *
 * <p>The writer must also visit every key that had a value at s. The skip list's weakly
 * consistent iterator visits every key present for the whole iteration, so while pinned a key
 * whose version at s exists is never removed: a delete stores a tombstone (value null) that keeps
 * the version at s as {@code older}. A delete of a key with no version at s (created after the
 * pin) removes it, as unpinned: the writer has nothing to find there. Keys created after the pin
 * may be visited or not; their version at s is null either way.
 *
 * <p>Release undoes the extra versions: only a write whose {@code cur.index <= s} (the first
 * write to a key since the pin) creates an {@code older} link or, later, a tombstone under that
 * key, so such keys are recorded once each, and {@link #release} walks them, removing tombstones
 * and dropping {@code older} links. Unpinned, a put drops {@code older} and a delete removes the
 * key, so outside a pin there are neither.
 *
 * <p>A writer abandoned while still running finds its pin released at its end and fails rather
 * than hand out a mix of versions. {@link #replaceAll} (restore) during a pin swaps in a new map
 * and leaves the pinned one alone: the writer keeps the map it pinned, which no one changes any
 * more, and later writes to the new map need no versions for it.
 *
 * <h2>Counters</h2>
 *
 * The map also holds tombstones, so {@code map.size()} is not the number of keys; the owner keeps
 * the number of live keys and their bytes (UTF-8 key bytes plus value bytes) in volatile counters
 * that any thread may read.
 */
final class KvStore {

  /**
   * One value of a key. {@code value} null is a tombstone (a key deleted during a pin);
   * {@code index} is the log index that wrote it (or of the snapshot it was restored from);
   * {@code older} is the version a pinned snapshot still needs, else null.
   */
  record Version(byte[] value, long index, Version older) {
    boolean isTombstone() {
      return value == null;
    }

    /** This key's version at {@code pinnedIndex}, given the invariant in the class comment. */
    Version asOf(long pinnedIndex) {
      return index <= pinnedIndex ? this : older;
    }
  }

  private volatile ConcurrentSkipListMap<String, Version> map = new ConcurrentSkipListMap<>();
  private volatile int liveKeys;
  private volatile long liveBytes;
  /** The owner's only: the pin held, or null. */
  private Pin pin;

  /**
   * A snapshot pinned at {@link #index()}: the map it was taken from and the keys whose version
   * at the pin a write kept as {@code older}.
   */
  static final class Pin {
    private final ConcurrentSkipListMap<String, Version> map;
    private final long index;
    private final List<String> keysWithOlder = new ArrayList<>();
    private volatile boolean released;

    private Pin(ConcurrentSkipListMap<String, Version> map, long index) {
      this.map = map;
      this.index = index;
    }

    long index() {
      return index;
    }

    /** Whether {@link KvStore#release} ran: from then on, {@link #entries} may mix versions. */
    boolean released() {
      return released;
    }

    /** Every key with a value at the pin and that value, in key order; any one thread. */
    Iterator<Map.Entry<String, byte[]>> entries() {
      return entriesAsOf(map, index);
    }
  }

  /** Builds a fresh map from a snapshot's entries, in key order, before it replaces the store's. */
  static final class Restored {
    private final long index;
    private final ConcurrentSkipListMap<String, Version> map = new ConcurrentSkipListMap<>();
    private long keys;
    private long bytes;
    private long valueBytes;

    /** @param index the snapshot's last applied index: the index of every version restored */
    Restored(long index) {
      this.index = index;
    }

    /** Adds a key (whose UTF-8 form is {@code keyBytes} long) and its value, handed over. */
    void add(String key, int keyBytes, byte[] value) {
      map.put(key, new Version(value, index, null));
      keys++;
      bytes += keyBytes + (long) value.length;
      valueBytes += value.length;
    }

    long keys() {
      return keys;
    }

    long valueBytes() {
      return valueBytes;
    }
  }

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
    NavigableMap<String, Version> from = startAfter == null || startAfter.compareTo(prefix) < 0
        ? map.tailMap(prefix, true)
        : map.tailMap(startAfter, false);
    Iterator<Map.Entry<String, Version>> matching = from.entrySet().iterator();
    long bytes = 0;
    while (matching.hasNext()) {
      Map.Entry<String, Version> entry = matching.next();
      if (!entry.getKey().startsWith(prefix)) {
        break;
      }
      byte[] value = entry.getValue().value();
      if (value == null) {
        continue;
      }
      if (entries.size() == limitEntries) {
        return new KvResult.ScanResult(entries, true);
      }
      long entryBytes = KvEntry.sizeBytes(entry.getKey(), value.length);
      if (!entries.isEmpty() && bytes + entryBytes > bytesMax) {
        return new KvResult.ScanResult(entries, true);
      }
      bytes += entryBytes;
      entries.add(new KvEntry(entry.getKey(), value));
    }
    return new KvResult.ScanResult(entries, false);
  }

  /**
   * The newest array of {@code key}, or null; not a copy, so callers only compare it or wrap it
   * in a record that copies it. Any thread.
   */
  byte[] peek(String key) {
    Version version = map.get(key);
    return version == null ? null : version.value();
  }

  /**
   * Stores {@code value}, written by the entry at {@code index}; the caller hands the array over
   * and never changes it afterwards. Owner only.
   */
  void put(String key, byte[] value, long index) {
    ConcurrentSkipListMap<String, Version> current = map;
    Version previous = current.get(key);
    current.put(key, new Version(value, index, keptForPin(key, previous, index)));
    if (previous == null || previous.isTombstone()) {
      liveKeys = liveKeys + 1;
      liveBytes = liveBytes + Keys.utf8Length(key, "key") + value.length;
    } else {
      liveBytes = liveBytes + value.length - previous.value().length;
    }
  }

  /** Deletes {@code key} at {@code index}; whether it was present. Owner only. */
  boolean delete(String key, long index) {
    ConcurrentSkipListMap<String, Version> current = map;
    Version previous = current.get(key);
    if (previous == null || previous.isTombstone()) {
      return false;
    }
    Version kept = keptForPin(key, previous, index);
    if (kept == null) {
      current.remove(key);
    } else {
      current.put(key, new Version(null, index, kept));
    }
    liveKeys = liveKeys - 1;
    liveBytes = liveBytes - Keys.utf8Length(key, "key") - previous.value().length;
    return true;
  }

  /**
   * The version at the pin that a write at {@code index} replacing {@code previous} must keep as
   * {@code older}, or null when no pin needs one. Records the key the first time it keeps one.
   */
  private Version keptForPin(String key, Version previous, long index) {
    Pin held = pin;
    if (held == null || held.map != map) {
      return null;
    }
    if (index <= held.index) {
      throw new IllegalArgumentException(
          "write at index " + index + " does not follow the snapshot pinned at " + held.index);
    }
    if (previous == null) {
      return null;
    }
    if (previous.index() <= held.index) {
      held.keysWithOlder.add(key);
      return previous;
    }
    return previous.older();
  }

  /**
   * Pins the current contents as of {@code index}, the last index written. Owner only.
   *
   * @throws IllegalStateException if a pin is held
   */
  Pin pin(long index) {
    if (pin != null) {
      throw new IllegalStateException(
          "a snapshot is pinned already, at index " + pin.index + "; release it first");
    }
    pin = new Pin(map, index);
    return pin;
  }

  /** Releases the pin, removing tombstones and older versions it kept; no-op without one. */
  void release() {
    Pin held = pin;
    if (held == null) {
      return;
    }
    pin = null;
    held.released = true;
    if (held.map != map) {
      return; // restored since: the pinned map is no longer the store's
    }
    for (String key : held.keysWithOlder) {
      Version version = map.get(key);
      if (version == null) {
        continue;
      }
      if (version.isTombstone()) {
        map.remove(key, version);
      } else if (version.older() != null) {
        map.replace(key, version, new Version(version.value(), version.index(), null));
      }
    }
  }

  /**
   * Whether {@code current} (null = missing) is what a cas {@code expected} (null = missing):
   * {@link Arrays#equals(byte[], byte[])} treats two nulls as equal and null unlike any array,
   * so a missing key never matches an expected empty value.
   */
  static boolean matches(byte[] current, byte[] expected) {
    return Arrays.equals(current, expected);
  }

  /** Every live key and its newest value, in key order: for a snapshot taken on the owner. */
  Iterator<Map.Entry<String, byte[]>> currentEntries() {
    return entriesAsOf(map, Long.MAX_VALUE);
  }

  /** Replaces all contents at once; {@code restored} is handed over. Owner only. */
  void replaceAll(Restored restored) {
    map = restored.map;
    liveKeys = (int) restored.keys;
    liveBytes = restored.bytes;
  }

  /** The number of live keys. Any thread. */
  int liveKeys() {
    return liveKeys;
  }

  /** UTF-8 key bytes plus value bytes of the live keys. Any thread. */
  long liveBytes() {
    return liveBytes;
  }

  /** The number of map entries, tombstones included: for tests of the pin's bookkeeping. */
  int mapEntries() {
    return map.size();
  }

  /** Whether any entry is a tombstone or keeps an older version: for the same tests. */
  boolean holdsExtraVersions() {
    return map.values().stream().anyMatch(v -> v.isTombstone() || v.older() != null);
  }

  private static Iterator<Map.Entry<String, byte[]>> entriesAsOf(
      ConcurrentSkipListMap<String, Version> map, long index) {
    Iterator<Map.Entry<String, Version>> versions = map.entrySet().iterator();
    return new Iterator<>() {
      private Map.Entry<String, byte[]> next = advance();

      private Map.Entry<String, byte[]> advance() {
        while (versions.hasNext()) {
          Map.Entry<String, Version> entry = versions.next();
          Version atIndex = entry.getValue().asOf(index);
          if (atIndex != null && !atIndex.isTombstone()) {
            return new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), atIndex.value());
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Map.Entry<String, byte[]> next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Map.Entry<String, byte[]> current = next;
        next = advance();
        return current;
      }
    };
  }
}
