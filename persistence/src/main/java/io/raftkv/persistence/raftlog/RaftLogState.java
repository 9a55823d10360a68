package io.raftkv.persistence.raftlog;

import io.raftkv.persistence.raftlog.RaftLogEvent.Checkpoint;
import io.raftkv.persistence.raftlog.RaftLogEvent.EntriesAppended;
import io.raftkv.persistence.raftlog.RaftLogEvent.LogTruncated;
import io.raftkv.persistence.raftlog.RaftLogEvent.SnapshotConfiguration;
import io.raftkv.persistence.raftlog.RaftLogEvent.SnapshotTaken;
import io.raftkv.persistence.raftlog.RaftLogEvent.TermAdvanced;
import io.raftkv.persistence.raftlog.RaftLogEvent.VoteCast;
import io.raftkv.persistence.snapshot.SnapshotRef;
import java.util.List;

/**
 * The durable Raft state of one node, rebuilt from {@link RaftLogEvent}s: what survives a crash.
 *
 * <p>Invariants: {@code votedFor} is 0 or a vote cast in {@code currentTerm}; entries are
 * contiguous from {@code snapshotIndex + 1}; terms never decrease along the log, and every entry's
 * term is >= {@code snapshotTerm}; the snapshot is either a file ({@code snapshotFile}, with
 * {@code snapshotData} empty) or, as older builds wrote it, inline bytes ({@code snapshotFile}
 * null). {@link #apply} throws instead of breaking one; Pekko applies an
 * event before persisting it, so an event that would break one is never written.
 */
public final class RaftLogState {
  /** {@link #votedFor} when the node has not voted in the current term. Node ids start at 1. */
  public static final int NO_VOTE = 0;

  private static final byte[] NO_DATA = new byte[0];
  private static final RaftLogState EMPTY = new RaftLogState(0, NO_VOTE, 0, 0, NO_DATA, null, null, EntryList.empty());

  private final long currentTerm;
  private final int votedFor;
  private final long snapshotIndex;
  private final long snapshotTerm;
  private final byte[] snapshotData; // never mutated; shared, not copied; empty when the snapshot is a file
  private final SnapshotRef snapshotFile; // the snapshot's file, or null (none, or inline data)
  private final Configuration snapshotConfiguration; // the configuration as of snapshotIndex, or null (none recorded: the bootstrap one)
  private final EntryList entries;

  private RaftLogState(long currentTerm, int votedFor, long snapshotIndex, long snapshotTerm, byte[] snapshotData,
      SnapshotRef snapshotFile, Configuration snapshotConfiguration, EntryList entries) {
    this.currentTerm = currentTerm;
    this.votedFor = votedFor;
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    this.snapshotData = snapshotData;
    this.snapshotFile = snapshotFile;
    this.snapshotConfiguration = snapshotConfiguration;
    this.entries = entries;
  }

  public static RaftLogState empty() {
    return EMPTY;
  }

  /** Rebuilds a state from its parts, as a Pekko snapshot of the log stores them. */
  public static RaftLogState of(long currentTerm, int votedFor, long snapshotIndex, long snapshotTerm, byte[] snapshotData, List<LogEntry> entries) {
    return new RaftLogState(currentTerm, votedFor, snapshotIndex, snapshotTerm, snapshotData, null, null, EntryList.of(entries));
  }

  /** Rebuilds a state whose Raft snapshot is a file (null: no snapshot yet). */
  public static RaftLogState of(long currentTerm, int votedFor, SnapshotRef snapshotFile, List<LogEntry> entries) {
    return of(currentTerm, votedFor, snapshotFile, null, entries);
  }

  /** Rebuilds a state whose Raft snapshot is a file, with the configuration as of it (null: the bootstrap one). */
  public static RaftLogState of(long currentTerm, int votedFor, SnapshotRef snapshotFile, Configuration snapshotConfiguration,
      List<LogEntry> entries) {
    long index = snapshotFile == null ? 0 : snapshotFile.index();
    long term = snapshotFile == null ? 0 : snapshotFile.term();
    return new RaftLogState(currentTerm, votedFor, index, term, NO_DATA, snapshotFile, snapshotConfiguration, EntryList.of(entries));
  }

  public long currentTerm() { return currentTerm; }
  public int votedFor() { return votedFor; }
  public long snapshotIndex() { return snapshotIndex; }
  public long snapshotTerm() { return snapshotTerm; }
  /** The state machine's snapshot bytes when written inline by an older build (else empty); do not modify. */
  public byte[] snapshotData() { return snapshotData; }
  /** The snapshot's file, or null when there is no snapshot or it is inline ({@link #snapshotData}). */
  public SnapshotRef snapshotFile() { return snapshotFile; }
  /** The cluster's configuration as of the snapshot, or null when none was recorded (then the bootstrap one holds there). */
  public Configuration snapshotConfiguration() { return snapshotConfiguration; }
  public long lastIndex() { return snapshotIndex + entries.size(); }
  public List<LogEntry> entries() { return entries.toList(); }
  public int entryCount() { return entries.size(); }

  /** The entry at {@code index}, which must lie in (snapshotIndex, lastIndex]. */
  public LogEntry entry(long index) {
    return entries.get(Math.toIntExact(index - snapshotIndex - 1));
  }

  /** The term of the last entry, or the snapshot's term when there is no entry after it. */
  public long lastTerm() {
    return entries.size() == 0 ? snapshotTerm : entries.get(entries.size() - 1).term();
  }

  /** The term of the entry at {@code index}, or -1 when the log does not know it. */
  public long termAt(long index) {
    if (index == snapshotIndex) return snapshotTerm;
    if (index < snapshotIndex || index > lastIndex()) return -1;
    return entry(index).term();
  }

  /** Applies one event; the single place where the durable state changes. */
  public RaftLogState apply(RaftLogEvent event) {
    if (event instanceof TermAdvanced e) {
      if (e.term() <= currentTerm) throw new IllegalStateException("term must grow: " + currentTerm + " -> " + e.term());
      return new RaftLogState(e.term(), NO_VOTE, snapshotIndex, snapshotTerm, snapshotData, snapshotFile, snapshotConfiguration, entries);
    } else if (event instanceof VoteCast e) {
      if (e.term() != currentTerm) throw new IllegalStateException("vote for term " + e.term() + " in term " + currentTerm);
      if (votedFor != NO_VOTE && votedFor != e.candidateId()) throw new IllegalStateException("second vote in term " + currentTerm);
      return new RaftLogState(currentTerm, e.candidateId(), snapshotIndex, snapshotTerm, snapshotData, snapshotFile, snapshotConfiguration, entries);
    } else if (event instanceof EntriesAppended e) {
      if (e.entries().isEmpty()) return this;
      // Every entry, not only the first: the node's MemoryLog, rebuilt from this state at recovery,
      // refuses a hole or a falling term, so a batch this state accepted would stop the node's restart.
      long expectedIndex = lastIndex() + 1;
      long previousTerm = lastTerm();
      for (LogEntry entry : e.entries()) {
        if (entry.index() != expectedIndex) {
          throw new IllegalStateException("append at " + entry.index() + " where the log expects " + expectedIndex);
        }
        if (entry.term() < previousTerm) {
          throw new IllegalStateException("entry " + entry.index() + " of term " + entry.term() + " after term " + previousTerm);
        }
        expectedIndex++;
        previousTerm = entry.term();
      }
      return new RaftLogState(currentTerm, votedFor, snapshotIndex, snapshotTerm, snapshotData, snapshotFile, snapshotConfiguration, entries.append(e.entries()));
    } else if (event instanceof LogTruncated e) {
      if (e.fromIndex() <= snapshotIndex) throw new IllegalStateException("truncation at " + e.fromIndex() + " inside the snapshot " + snapshotIndex);
      if (e.fromIndex() > lastIndex()) return this;
      return new RaftLogState(currentTerm, votedFor, snapshotIndex, snapshotTerm, snapshotData, snapshotFile, snapshotConfiguration, entries.prefix(Math.toIntExact(e.fromIndex() - snapshotIndex - 1)));
    } else if (event instanceof SnapshotTaken e) {
      if (e.lastIncludedIndex() <= snapshotIndex) return this; // an older snapshot than ours: nothing to learn
      EntryList kept = termAt(e.lastIncludedIndex()) == e.lastIncludedTerm()
          ? entries.dropFirst(Math.toIntExact(e.lastIncludedIndex() - snapshotIndex))
          : EntryList.empty();
      return new RaftLogState(currentTerm, votedFor, e.lastIncludedIndex(), e.lastIncludedTerm(), e.data(), null, null, kept);
    } else if (event instanceof Checkpoint e) {
      if (e.currentTerm() < currentTerm) throw new IllegalStateException("checkpoint of term " + e.currentTerm() + " in term " + currentTerm);
      if (e.file().index() < snapshotIndex) {
        throw new IllegalStateException("checkpoint at snapshot " + e.file().index() + " behind the snapshot " + snapshotIndex);
      }
      return new RaftLogState(e.currentTerm(), e.votedFor(), e.file().index(), e.file().term(), NO_DATA, e.file(), null, EntryList.empty());
    } else if (event instanceof SnapshotConfiguration e) {
      if (e.index() != snapshotIndex) {
        throw new IllegalStateException("configuration as of " + e.index() + " recorded with the snapshot at " + snapshotIndex);
      }
      return new RaftLogState(currentTerm, votedFor, snapshotIndex, snapshotTerm, snapshotData, snapshotFile, e.configuration(), entries);
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  @Override
  public String toString() {
    return "RaftLogState[term=" + currentTerm + ", votedFor=" + votedFor + ", snapshot=" + snapshotIndex + "@" + snapshotTerm
        + ", lastIndex=" + lastIndex() + "]";
  }
}
