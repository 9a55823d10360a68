package io.raftkv.raft.rules;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configurations a node's log holds, by index: the one as of the snapshot (or the bootstrap
 * one, at index 0) and every configuration entry after it. A node uses the latest one, committed
 * or not (dissertation §4.1); when entries are truncated, the configuration falls back to the one
 * before them. Invariant: never empty; every key but the first is the index of a configuration
 * entry of the log.
 */
public final class ConfigurationHistory {
  private final TreeMap<Long, Configuration> byIndex = new TreeMap<>();
  private List<Integer> voters; // the current configuration's voters, kept because every commit decision reads them

  /** {@code base} is in force at {@code baseIndex} (the snapshot's index, or 0), followed by the configuration entries of {@code entries}. */
  public ConfigurationHistory(long baseIndex, Configuration base, List<LogEntry> entries) {
    byIndex.put(baseIndex, base);
    for (LogEntry e : entries) appended(e);
    changed();
  }

  private void changed() {
    voters = current().voters();
  }

  /** The current configuration's voters, ascending. */
  public List<Integer> voters() {
    return voters;
  }

  public Configuration current() {
    return byIndex.lastEntry().getValue();
  }

  /** The index of the current configuration's entry (or of the snapshot it came with). */
  public long currentIndex() {
    return byIndex.lastKey();
  }

  /** The configuration in force at {@code index} (which must not lie before the oldest one kept). */
  public Configuration at(long index) {
    Map.Entry<Long, Configuration> e = byIndex.floorEntry(index);
    if (e == null) throw new IllegalArgumentException("no configuration known at " + index + ", the oldest is at " + byIndex.firstKey());
    return e.getValue();
  }

  /** An entry was appended to the log: a configuration entry takes effect at once. */
  public void appended(LogEntry entry) {
    if (entry.command() instanceof Configuration c) {
      if (entry.index() <= byIndex.lastKey()) throw new IllegalStateException("configuration at " + entry.index() + " after " + byIndex.lastKey());
      byIndex.put(entry.index(), c);
      changed();
    }
  }

  /** Entries from {@code index} on were removed: their configurations no longer hold. */
  public void truncatedFrom(long index) {
    if (index <= byIndex.firstKey()) throw new IllegalStateException("truncation at " + index + " before the configuration at " + byIndex.firstKey());
    byIndex.tailMap(index, true).clear();
    changed();
  }

  /** The log now starts after a snapshot at {@code index}: the configuration in force there becomes the base. */
  public void compactedThrough(long index) {
    Configuration base = at(index);
    byIndex.headMap(index, true).clear();
    byIndex.put(index, base);
    changed();
  }

  /**
   * A leader's snapshot through {@code index} was installed, {@code configuration} with it; the
   * log kept its entries through {@code lastIndex} (none after the snapshot when they conflicted).
   */
  public void installed(long index, Configuration configuration, long lastIndex) {
    byIndex.headMap(index, true).clear();
    byIndex.tailMap(lastIndex, false).clear();
    byIndex.put(index, configuration);
    changed();
  }
}
