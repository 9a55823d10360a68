package io.raftkv.raft.rules;

import io.raftkv.persistence.raftlog.LogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's Raft log in memory: the entries after the last snapshot, and that snapshot's boundary.
 * It mirrors what the node has asked its durable log to store (durable or still in flight).
 *
 * <p>Invariants: entries are contiguous from {@code snapshotIndex + 1}; terms never decrease
 * along the log; every entry's term is >= {@code snapshotTerm}.
 */
public final class MemoryLog {
  private long snapshotIndex; // last index covered by the snapshot (0: none)
  private long snapshotTerm; // term of that entry (0: none)
  private final ArrayList<LogEntry> entries = new ArrayList<>(); // entries.get(i).index() == snapshotIndex + 1 + i

  public MemoryLog() {}

  public MemoryLog(long snapshotIndex, long snapshotTerm, List<LogEntry> entries) {
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    append(entries);
  }

  public long snapshotIndex() { return snapshotIndex; }
  public long snapshotTerm() { return snapshotTerm; }
  public long lastIndex() { return snapshotIndex + entries.size(); }
  public long lastTerm() { return entries.isEmpty() ? snapshotTerm : entries.get(entries.size() - 1).term(); }
  public int size() { return entries.size(); }

  /** The term at {@code index}, or -1 when this log cannot tell (compacted away, or beyond the end). */
  public long termAt(long index) {
    if (index == snapshotIndex) return snapshotTerm;
    if (index < snapshotIndex || index > lastIndex()) return -1;
    return entries.get(offset(index)).term();
  }

  /** Whether this log holds an entry at {@code index} with {@code term} (§5.3 log matching). */
  public boolean matches(long index, long term) {
    return termAt(index) == term;
  }

  /** The entry at {@code index}, in (snapshotIndex, lastIndex]. */
  public LogEntry entry(long index) {
    if (index <= snapshotIndex || index > lastIndex()) {
      throw new IndexOutOfBoundsException("index " + index + " outside (" + snapshotIndex + ", " + lastIndex() + "]");
    }
    return entries.get(offset(index));
  }

  /**
   * Up to {@code maxEntries} entries from {@code from}, stopping before {@code maxBytes} is passed (at
   * least one). Bytes are {@link LogEntry#sizeBytes()}, never below the serialized size, so the
   * AppendEntries that carries the slice holds at most max(maxBytes, its one entry) bytes of entries:
   * what the transport's frame is sized for.
   */
  public List<LogEntry> slice(long from, int maxEntries, long maxBytes) {
    if (from <= snapshotIndex) throw new IndexOutOfBoundsException("index " + from + " is compacted (snapshot " + snapshotIndex + ")");
    long end = Math.min(lastIndex(), from + maxEntries - 1);
    List<LogEntry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = from; i <= end; i++) {
      LogEntry e = entries.get(offset(i));
      bytes += e.sizeBytes();
      if (!out.isEmpty() && bytes > maxBytes) break;
      out.add(e);
    }
    return out;
  }

  public void append(List<LogEntry> more) {
    for (LogEntry e : more) {
      if (e.index() != lastIndex() + 1) throw new IllegalStateException("append at " + e.index() + " after " + lastIndex());
      if (e.term() < lastTerm()) throw new IllegalStateException("term " + e.term() + " after term " + lastTerm());
      entries.add(e);
    }
  }

  /** Removes the entries at {@code from} and after. */
  public void truncateFrom(long from) {
    if (from <= snapshotIndex) throw new IllegalStateException("truncation at " + from + " inside snapshot " + snapshotIndex);
    if (from > lastIndex()) return;
    entries.subList(offset(from), entries.size()).clear();
  }

  /**
   * Moves the snapshot boundary to {@code index}: keeps the entries after it when this log holds
   * {@code index} at {@code term}, and drops the whole log otherwise (a snapshot from the leader
   * that this log does not match replaces it, §7).
   */
  public void compactThrough(long index, long term) {
    if (index <= snapshotIndex) return;
    if (matches(index, term)) {
      entries.subList(0, offset(index) + 1).clear();
    } else {
      entries.clear();
    }
    snapshotIndex = index;
    snapshotTerm = term;
  }

  /** The first index holding {@code term}, searching back from {@code from}: the follower's conflict hint (§5.3). */
  public long firstIndexOfTermAtOrBefore(long from) {
    long term = termAt(from);
    long i = from;
    while (i - 1 > snapshotIndex && termAt(i - 1) == term) i--;
    return i;
  }

  /** The last index holding {@code term}, or -1: the leader's use of a conflict hint (§5.3). */
  public long lastIndexOfTerm(long term) {
    for (long i = lastIndex(); i > snapshotIndex; i--) {
      long t = termAt(i);
      if (t == term) return i;
      if (t < term) return -1; // terms only grow along the log
    }
    return snapshotTerm == term && snapshotIndex > 0 ? snapshotIndex : -1;
  }

  private int offset(long index) {
    return Math.toIntExact(index - snapshotIndex - 1);
  }
}
