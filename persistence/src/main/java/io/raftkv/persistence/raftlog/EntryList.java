package io.raftkv.persistence.raftlog;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable list of log entries whose appends are O(1) amortized.
 *
 * <p>Why not {@code List.copyOf} on every append: the event-sourced log's state must be immutable,
 * and copying the whole tail on each persisted batch is quadratic between two snapshots. Versions
 * share one backing array; only the newest version may extend it in place (older versions keep
 * their own {@code size}, so they never see the extension). Any other change copies.
 */
final class EntryList {
  private static final EntryList EMPTY = new EntryList(new ArrayList<>(), 0);

  private final ArrayList<LogEntry> backing; // shared by versions; entries [0, size) are this version's
  private final int size;

  private EntryList(ArrayList<LogEntry> backing, int size) {
    this.backing = backing;
    this.size = size;
  }

  static EntryList empty() {
    return EMPTY;
  }

  static EntryList of(List<LogEntry> entries) {
    return new EntryList(new ArrayList<>(entries), entries.size());
  }

  int size() {
    return size;
  }

  LogEntry get(int i) {
    if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i + " of " + size);
    return backing.get(i);
  }

  EntryList append(List<LogEntry> more) {
    synchronized (backing) { // versions may be read from the persistence thread and the actor's
      if (backing.size() == size && this != EMPTY) {
        backing.addAll(more);
        return new EntryList(backing, size + more.size());
      }
    }
    ArrayList<LogEntry> copy = new ArrayList<>(size + more.size());
    copy.addAll(backing.subList(0, size));
    copy.addAll(more);
    return new EntryList(copy, copy.size());
  }

  /** The first {@code n} entries. */
  EntryList prefix(int n) {
    return n == size ? this : new EntryList(backing, n); // a later append to this version copies
  }

  /** Entries from position {@code from} on. */
  EntryList dropFirst(int from) {
    return from == 0 ? this : new EntryList(new ArrayList<>(backing.subList(from, size)), size - from);
  }

  List<LogEntry> toList() {
    return List.copyOf(backing.subList(0, size));
  }
}
