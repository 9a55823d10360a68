package io.raftkv.persistence.kv;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The keys, their values and their history: a sorted map of version chains with one writer (the
 * owner, which applies the log), any number of concurrent readers, and at most one pinned
 * snapshot written by another thread while the owner goes on writing.
 *
 * <h2>Revisions and history</h2>
 *
 * The revision of a write is the log index that applied it. Each key maps to its newest
 * {@link Version}, which links to the one it replaced ({@code older}), newest first, so the
 * chain is the key's history: a read "at revision r" takes the newest version whose
 * {@code modRevision <= r}. A delete stores a tombstone (value null), so history says when a key
 * went away. The versions a revision wrote are also listed, in the order written, under that
 * revision in {@link Generation#changes}, in key order: what a watch streams, and what compaction walks.
 *
 * <p>History is kept back to the compacted revision {@code C} ({@link #compactedRevision()}):
 * reads at any revision {@code >= C} are answered, and every change with a revision {@code > C}
 * is listed. Compacting to {@code C} (owner only) first publishes {@code C}, then trims: for each
 * key changed at a revision {@code <= C} its chain keeps the versions newer than {@code C} and the
 * newest at or below it when that one is live (a tombstone there means "absent at C", which the
 * end of a chain says too), and a key left with no version is removed.
 *
 * <h2>Readers</h2>
 *
 * Readers need no lock: the skip lists are concurrent, and a stored {@link Version} and its array
 * never change after they are put (trimming stores new, shorter chains), so a reader sees each
 * chain whole, either before or after a write. Arrays leave this package only as copies. A reader
 * at a past revision checks the compacted revision again after its read: trimming begins after
 * {@code C} is published, so a reader that saw a trimmed chain sees the new {@code C} and answers
 * "compacted" instead. Restore swaps in a whole new {@link Generation} through a volatile field.
 * Keys are ordered by {@link String#compareTo} (UTF-16 code units).
 *
 * <h2>A snapshot "as of index s" while writes go on</h2>
 *
 * A pin at {@code s} (the last index written) with compacted revision {@code Cp} writes, for each
 * key, the versions with {@code Cp < modRevision <= s} and the key's live version at {@code Cp}:
 * the history a restored replica needs to answer what this one does at {@code s}. Writes only add
 * versions newer than {@code s} at the head, so those stay. Trimming during the pin keeps, besides
 * what it keeps anyway, every version the pin writes; a key with such a version is never removed,
 * so the writer's weakly consistent iterator, which visits every key present for the whole
 * iteration, finds all it needs. The keys trimmed less for the pin are listed and trimmed again on
 * release. A writer whose pin was released while it ran fails rather than hand out a mix.
 *
 * <h2>Counters</h2>
 *
 * The owner keeps the number of live keys and their bytes (UTF-8 key bytes plus value bytes), and
 * the size of the history (revisions with changes above {@code C}, and their keys' and values'
 * bytes) in volatile fields any thread may read.
 */
final class KvStore {

  /**
   * One value of a key. {@code value} null is a tombstone: the key was deleted at
   * {@code modRevision} (and {@code createRevision} and {@code version} are 0). {@code older} is
   * the version it replaced, while history keeps it.
   *
   * @param createRevision the revision that created the key (the first put after it was absent)
   * @param modRevision the revision that wrote this version
   * @param version the number of writes since the key was created, this one included (1 at
   *     creation)
   * @param lease the lease the key is attached to by this version, or 0 (a tombstone: 0)
   */
  record Version(byte[] value, long createRevision, long modRevision, long version, long lease, Version older) {
    boolean isTombstone() {
      return value == null;
    }

    /** The newest version of this chain written at or before {@code revision}, or null. */
    Version asOf(long revision) {
      Version v = this;
      while (v != null && v.modRevision > revision) {
        v = v.older;
      }
      return v;
    }

    /** The live version at {@code revision}, or null when the key was absent then. */
    Version liveAsOf(long revision) {
      Version v = asOf(revision);
      return v == null || v.isTombstone() ? null : v;
    }

    KeyRevisions revisions() {
      return new KeyRevisions(createRevision, modRevision, version);
    }

    Version withOlder(Version replacement) {
      return new Version(value, createRevision, modRevision, version, lease, replacement);
    }
  }

  /** A version a revision wrote, under its key. */
  record Change(String key, Version version) {}

  /**
   * The map and its list of changes. Restore replaces both at once by replacing the generation;
   * the owner changes the current one only.
   */
  static final class Generation {
    final ConcurrentSkipListMap<String, Version> map = new ConcurrentSkipListMap<>();
    /** By revision, every revision above the trimmed one that changed a key; never empty lists. */
    final ConcurrentSkipListMap<Long, List<Change>> changes = new ConcurrentSkipListMap<>();
    /** Reads below it are refused; changes up to it may be gone. Written by the owner only. */
    volatile long compactedRevision;

    private Generation(long compactedRevision) {
      this.compactedRevision = compactedRevision;
    }
  }

  private volatile Generation generation = new Generation(0);
  private volatile int liveKeys;
  private volatile long liveBytes;
  private volatile long historyBytes;
  private volatile int historyRevisions;
  /** The owner's only: the versions written by the revision being applied, or empty. */
  private final List<Change> pending = new ArrayList<>();
  private long pendingRevision;
  /** The owner's only: the pin held, or null. */
  private Pin pin;

  /**
   * A snapshot pinned at {@link #index()}: the generation it was taken from, its compacted
   * revision then, and the keys that trimming spared for it.
   */
  static final class Pin {
    private final Generation generation;
    private final long index;
    private final long compactedRevision;
    private final List<String> keysSpared = new ArrayList<>();
    private volatile boolean released;

    private Pin(Generation generation, long index) {
      this.generation = generation;
      this.index = index;
      this.compactedRevision = generation.compactedRevision;
    }

    long index() {
      return index;
    }

    long compactedRevision() {
      return compactedRevision;
    }

    /** Whether {@link KvStore#release} ran: from then on, {@link #keys} may miss versions. */
    boolean released() {
      return released;
    }

    /**
     * Every key with something to write at the pin, and its versions to write, newest first, in
     * key order; any one thread.
     */
    Iterator<KeyHistory> keys() {
      return historiesAsOf(generation.map, index, compactedRevision);
    }

    /** Whether the pin writes {@code v}, a version of a chain whose version at Cp is {@code atCp}. */
    private boolean writes(Version v, Version atCp) {
      return v.modRevision > compactedRevision && v.modRevision <= index
          || v == atCp && !v.isTombstone();
    }
  }

  /** A key and its versions in a snapshot, newest first (never empty). */
  record KeyHistory(String key, List<Version> versions) {}

  /** Builds a fresh generation from a snapshot, key by key in key order, before it is swapped in. */
  static final class Restored {
    private final Generation generation;
    private final Map<String, Long> keyLeases = new java.util.HashMap<>();
    private long keys;
    private long bytes;
    private long valueBytes;
    private long versions;

    /** @param compactedRevision the compacted revision the snapshot states */
    Restored(long compactedRevision) {
      this.generation = new Generation(compactedRevision);
    }

    /**
     * Adds a key (whose UTF-8 form is {@code keyBytes} long) and its versions, newest first,
     * handed over with {@code older} null; their history is linked here.
     */
    void add(String key, int keyBytes, List<Version> newestFirst) {
      Version chain = null;
      for (int i = newestFirst.size() - 1; i >= 0; i--) {
        chain = newestFirst.get(i).withOlder(chain);
        if (chain.modRevision > generation.compactedRevision) {
          generation.changes.computeIfAbsent(chain.modRevision, r -> new ArrayList<>())
              .add(new Change(key, chain));
        }
      }
      generation.map.put(key, chain);
      if (!chain.isTombstone() && chain.lease != 0) {
        keyLeases.put(key, chain.lease);
      }
      versions += newestFirst.size();
      if (!chain.isTombstone()) {
        keys++;
        bytes += keyBytes + (long) chain.value.length;
        valueBytes += chain.value.length;
      }
    }

    /** Live keys. */
    long keys() {
      return keys;
    }

    /** Value bytes of the live keys. */
    long valueBytes() {
      return valueBytes;
    }

    /** The lease of every live key attached to one. */
    Map<String, Long> keyLeases() {
      return keyLeases;
    }

    /** Versions of every key, history included. */
    long versions() {
      return versions;
    }

    /**
     * Adds a key of a snapshot format without history: one version, written (as far as anyone
     * can tell now) at the compacted revision.
     */
    void add(String key, int keyBytes, byte[] value) {
      long revision = generation.compactedRevision;
      add(key, keyBytes, List.of(new Version(value, revision, revision, 1, 0, null)));
    }
  }

  // ---- reads: any thread ----

  /** The newest live version of {@code key}, or null. */
  Version current(String key) {
    Version version = generation.map.get(key);
    return version == null || version.isTombstone() ? null : version;
  }

  /**
   * The live version of {@code key} at {@code revision}, or null when it was absent then.
   *
   * @throws CompactedException if {@code revision} is below the compacted revision, before or
   *     during the read
   */
  Version at(String key, long revision) {
    Generation g = generation;
    requireRetained(g, revision);
    Version head = g.map.get(key);
    Version found = head == null ? null : head.liveAsOf(revision);
    requireRetained(g, revision);
    return found;
  }

  /**
   * At most {@code limitEntries} entries whose key starts with {@code prefix} and comes after
   * {@code startAfter} (null: from the first), in key order, as of {@code revision}
   * ({@link Long#MAX_VALUE}: newest), and no more than {@code bytesMax} of them as
   * {@link KvEntry#sizeBytes} counts (the first is returned whatever its size); any thread. Keys
   * sharing a prefix are contiguous in this order, starting at the prefix itself.
   *
   * @throws CompactedException if {@code revision} is below the compacted revision
   */
  KvResult.ScanResult scan(
      String prefix, String startAfter, int limitEntries, long bytesMax, long revision) {
    if (limitEntries < 1) {
      throw new IllegalArgumentException("limitEntries must be >= 1, got " + limitEntries);
    }
    Generation g = generation;
    requireRetained(g, revision);
    List<KvEntry> entries = new ArrayList<>(Math.min(limitEntries, 64));
    NavigableMap<String, Version> from = startAfter == null || startAfter.compareTo(prefix) < 0
        ? g.map.tailMap(prefix, true)
        : g.map.tailMap(startAfter, false);
    long bytes = 0;
    boolean truncated = false;
    for (Map.Entry<String, Version> entry : from.entrySet()) {
      if (!entry.getKey().startsWith(prefix)) {
        break;
      }
      Version version = entry.getValue().liveAsOf(revision);
      if (version == null) {
        continue;
      }
      if (entries.size() == limitEntries) {
        truncated = true;
        break;
      }
      long entryBytes = KvEntry.sizeBytes(entry.getKey(), version.value.length);
      if (!entries.isEmpty() && bytes + entryBytes > bytesMax) {
        truncated = true;
        break;
      }
      bytes += entryBytes;
      entries.add(new KvEntry(entry.getKey(), version.value, version.revisions()));
    }
    requireRetained(g, revision);
    return new KvResult.ScanResult(entries, truncated);
  }

  /**
   * The changes of revisions from {@code fromRevision} on, in revision order and, within one, in
   * key order, at most {@code revisionsMax} revisions of them (all of a revision or none);
   * any thread.
   *
   * @throws CompactedException if changes from {@code fromRevision} were compacted, before or
   *     during the read
   */
  List<List<Change>> changesFrom(long fromRevision, int revisionsMax) {
    Generation g = generation;
    requireRetained(g, fromRevision - 1);
    List<List<Change>> found = new ArrayList<>();
    for (List<Change> changes : g.changes.tailMap(fromRevision, true).values()) {
      if (found.size() == revisionsMax) {
        break;
      }
      found.add(changes);
    }
    requireRetained(g, fromRevision - 1);
    return found;
  }

  private static void requireRetained(Generation g, long revision) {
    long compacted = g.compactedRevision;
    if (revision < compacted) {
      throw new CompactedException(revision, compacted);
    }
  }

  /** Reads below this revision are refused, and changes up to it are no longer listed. */
  long compactedRevision() {
    return generation.compactedRevision;
  }

  // ---- writes: owner only ----

  /**
   * Stores {@code value} as {@code key}'s, written by the revision {@code revision} and attached to
   * {@code lease} (0: none); the caller hands the array over and never changes it afterwards. A
   * revision writes a key at most once. Visible to readers at once; listed as a change on
   * {@link #publish}. Returns the live version it replaced, or null.
   */
  Version put(String key, byte[] value, long revision, long lease) {
    Generation g = generation;
    Version previous = g.map.get(key);
    requireNewRevision(key, previous, revision);
    boolean created = previous == null || previous.isTombstone();
    Version written = created
        ? new Version(value, revision, revision, 1, lease, previous)
        : new Version(value, previous.createRevision, revision, previous.version + 1, lease, previous);
    g.map.put(key, written);
    pending.add(new Change(key, written));
    if (created) {
      liveKeys = liveKeys + 1;
      liveBytes = liveBytes + Keys.utf8Length(key, "key") + value.length;
      return null;
    }
    liveBytes = liveBytes + value.length - previous.value.length;
    return previous;
  }

  /** Deletes {@code key} at {@code revision}; the live version it deleted, or null when there was none. */
  Version delete(String key, long revision) {
    Generation g = generation;
    Version previous = g.map.get(key);
    if (previous == null || previous.isTombstone()) {
      return null;
    }
    requireNewRevision(key, previous, revision);
    Version tombstone = new Version(null, 0, revision, 0, 0, previous);
    g.map.put(key, tombstone);
    pending.add(new Change(key, tombstone));
    liveKeys = liveKeys - 1;
    liveBytes = liveBytes - Keys.utf8Length(key, "key") - previous.value.length;
    return previous;
  }

  private void requireNewRevision(String key, Version previous, long revision) {
    if (!pending.isEmpty() && pendingRevision != revision) {
      throw new IllegalStateException(
          "revision " + pendingRevision + " was not published before revision " + revision);
    }
    if (previous != null && previous.modRevision >= revision) {
      throw new IllegalArgumentException("a write to '" + key + "' at revision " + revision
          + " does not follow its version at " + previous.modRevision);
    }
    if (pin != null && pin.generation == generation && revision <= pin.index) {
      throw new IllegalArgumentException(
          "write at revision " + revision + " does not follow the snapshot pinned at " + pin.index);
    }
    pendingRevision = revision;
  }

  /**
   * Lists the changes of the revision written since the last call, all at once (a watcher sees
   * all of a revision or none of it); whether it wrote anything.
   */
  boolean publish() {
    if (pending.isEmpty()) {
      return false;
    }
    pending.sort((a, b) -> a.key.compareTo(b.key)); // the order a restored replica lists them in
    List<Change> changes = List.copyOf(pending);
    pending.clear();
    long bytes = 0;
    for (Change change : changes) {
      bytes += changeBytes(change);
    }
    generation.changes.put(pendingRevision, changes);
    historyBytes = historyBytes + bytes;
    historyRevisions = historyRevisions + 1;
    return true;
  }

  private static long changeBytes(Change change) {
    byte[] value = change.version.value;
    return Keys.utf8Length(change.key, "key") + (value == null ? 0 : value.length);
  }

  /**
   * Compacts history to {@code revision}: reads below it are refused from now on, and versions
   * only they needed are dropped.
   *
   * @throws IllegalArgumentException if {@code revision} is not above the compacted revision
   */
  void compact(long revision) {
    Generation g = generation;
    if (revision <= g.compactedRevision) {
      throw new IllegalArgumentException("revision " + revision
          + " is not above the compacted revision " + g.compactedRevision);
    }
    long bytes = historyBytes;
    int revisions = historyRevisions;
    for (Map.Entry<Long, List<Change>> entry
        : g.changes.subMap(g.compactedRevision, false, revision, true).entrySet()) {
      for (Change change : entry.getValue()) {
        bytes -= changeBytes(change);
      }
      revisions--;
    }
    historyBytes = bytes;
    historyRevisions = revisions;
    g.compactedRevision = revision; // published before any trimming: see the class comment
    trim(g);
  }

  /**
   * The oldest revision with changes above the compacted one, or 0 when history lists none: what
   * automatic compaction drops first.
   */
  long oldestChangedRevision() {
    Generation g = generation;
    Long oldest = g.changes.higherKey(g.compactedRevision);
    return oldest == null ? 0 : oldest;
  }

  /** Trims the keys changed at or below the compacted revision and drops their listing. */
  private void trim(Generation g) {
    long compacted = g.compactedRevision;
    Pin spared = pin != null && pin.generation == g ? pin : null;
    Iterator<Map.Entry<Long, List<Change>>> trimmed =
        g.changes.headMap(compacted, true).entrySet().iterator();
    while (trimmed.hasNext()) {
      Map.Entry<Long, List<Change>> entry = trimmed.next();
      for (Change change : entry.getValue()) {
        trimKey(g, change.key, compacted, spared);
      }
      trimmed.remove();
    }
  }

  /**
   * Rebuilds {@code key}'s chain with only the versions history (and the pin, if any) still
   * needs, or removes the key when none is left.
   */
  private void trimKey(Generation g, String key, long compacted, Pin spared) {
    Version head = g.map.get(key);
    if (head == null) {
      return;
    }
    List<Version> kept = new ArrayList<>();
    boolean keptAll = true;
    boolean baseSeen = false;
    boolean keptForPin = false;
    int baseTombstoneAt = -1;
    Version atCp = spared == null ? null : head.asOf(spared.compactedRevision);
    for (Version v = head; v != null; v = v.older) {
      boolean needed;
      if (v.modRevision > compacted) {
        needed = true;
      } else if (!baseSeen) {
        baseSeen = true;
        needed = !v.isTombstone();
        if (v.isTombstone() && spared != null) {
          baseTombstoneAt = kept.size(); // kept if the pin keeps anything older: see below
          kept.add(v);
          continue;
        }
      } else {
        needed = false;
      }
      if (!needed && spared != null && spared.writes(v, atCp)) {
        needed = true;
        keptForPin = true;
      }
      if (needed) {
        kept.add(v);
      } else {
        keptAll = false;
        if (spared == null && baseSeen) {
          break; // nothing older is needed either
        }
      }
    }
    // A tombstone at the base says "absent from here on"; dropped, it would let an older version
    // kept for the pin pass for the newest. So it goes only when nothing older stays.
    if (baseTombstoneAt >= 0 && baseTombstoneAt == kept.size() - 1) {
      kept.remove(baseTombstoneAt);
      keptAll = false;
    }
    if (keptForPin) {
      spared.keysSpared.add(key);
    }
    if (keptAll) {
      return;
    }
    if (kept.isEmpty()) {
      g.map.remove(key, head);
      return;
    }
    Version chain = null;
    for (int i = kept.size() - 1; i >= 0; i--) {
      chain = kept.get(i).withOlder(chain);
    }
    g.map.replace(key, head, chain);
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
    pin = new Pin(generation, index);
    return pin;
  }

  /** Releases the pin and trims what trimming spared for it; no-op without one. */
  void release() {
    Pin held = pin;
    if (held == null) {
      return;
    }
    pin = null;
    held.released = true;
    Generation g = generation;
    if (held.generation != g) {
      return; // restored since: the pinned generation is no longer the store's
    }
    for (String key : held.keysSpared) {
      trimKey(g, key, g.compactedRevision, null);
    }
  }

  /** Every key with history to write, as a snapshot taken on the owner now would write it. */
  Iterator<KeyHistory> currentHistories() {
    Generation g = generation;
    return historiesAsOf(g.map, Long.MAX_VALUE, g.compactedRevision);
  }

  /** Replaces all contents at once; {@code restored} is handed over. Owner only. */
  void replaceAll(Restored restored) {
    pending.clear();
    long bytes = 0;
    for (List<Change> changes : restored.generation.changes.values()) {
      for (Change change : changes) {
        bytes += changeBytes(change);
      }
    }
    generation = restored.generation;
    liveKeys = (int) restored.keys;
    liveBytes = restored.bytes;
    historyBytes = bytes;
    historyRevisions = restored.generation.changes.size();
  }

  /** The number of live keys. Any thread. */
  int liveKeys() {
    return liveKeys;
  }

  /** UTF-8 key bytes plus value bytes of the live keys. Any thread. */
  long liveBytes() {
    return liveBytes;
  }

  /** Revisions with changes above the compacted revision. Any thread. */
  int historyRevisions() {
    return historyRevisions;
  }

  /** UTF-8 key bytes plus value bytes of the changes above the compacted revision. Any thread. */
  long historyBytes() {
    return historyBytes;
  }

  /** The number of map entries, keys absent now but kept for their history included: for tests. */
  int mapEntries() {
    return generation.map.size();
  }

  /** The number of versions in every chain: for tests of trimming. */
  long versionCount() {
    long count = 0;
    for (Version head : generation.map.values()) {
      for (Version v = head; v != null; v = v.older) {
        count++;
      }
    }
    return count;
  }

  private static Iterator<KeyHistory> historiesAsOf(
      ConcurrentSkipListMap<String, Version> map, long index, long compacted) {
    Iterator<Map.Entry<String, Version>> heads = map.entrySet().iterator();
    return new Iterator<>() {
      private KeyHistory next = advance();

      private KeyHistory advance() {
        while (heads.hasNext()) {
          Map.Entry<String, Version> entry = heads.next();
          List<Version> versions = new ArrayList<>(2);
          for (Version v = entry.getValue().asOf(index); v != null; v = v.older) {
            if (v.modRevision > compacted) {
              versions.add(v);
            } else {
              if (!v.isTombstone()) {
                versions.add(v);
              }
              break;
            }
          }
          if (!versions.isEmpty()) {
            return new KeyHistory(entry.getKey(), versions);
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public KeyHistory next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        KeyHistory current = next;
        next = advance();
        return current;
      }
    };
  }
}
