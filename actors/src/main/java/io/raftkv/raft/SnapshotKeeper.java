package io.raftkv.raft;

import io.raftkv.persistence.snapshot.SnapshotFiles;
import io.raftkv.persistence.snapshot.SnapshotReceiver;
import io.raftkv.persistence.snapshot.SnapshotRef;
import io.raftkv.persistence.statemachine.SnapshotWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A node's snapshot files: when to take one, the background write of a pinned state machine, the
 * chunks a leader reads, the file a follower receives, and which files may be deleted.
 *
 * <p>When: once the bytes of entries applied since the last snapshot reach that snapshot's size
 * (clamped to {@code snapshot-log-bytes-min..max}), or more than {@code snapshot-entries-max}
 * entries were applied. The next snapshot is then at most the last one plus the log since, so
 * each byte of log costs at most 2 bytes of snapshot while the state is below
 * {@code snapshot-log-bytes-max}, and 1 + state / {@code snapshot-log-bytes-max} above it: the
 * cost of snapshots stays proportional to the bytes written, not to their square. (Comparing
 * with the current state instead would never fire while keys are only added.)
 *
 * <p>Files are deleted only once a newer snapshot's event is durable in the log: until then a
 * crash would recover the older one.
 *
 * <p>Owned by the node's actor; only the write itself runs on the store's worker, and its outcome
 * comes back to the actor as a {@link RaftNode.SnapshotWritten} message.
 */
final class SnapshotKeeper {
  /** What an entry costs in memory beyond its command's bytes (the entry, its command and their headers), roughly. */
  static final int ENTRY_OVERHEAD_BYTES = 64;

  private final SnapshotStore store;
  private final RaftSettings settings;
  private SnapshotRef current; // the file of the log's snapshot index, or null (no snapshot, or one an older build kept inline)
  private SnapshotRef durable; // the newest file whose event the log has made durable
  private final TreeMap<Long, SnapshotRef> awaitingDurability = new TreeMap<>(); // log batch -> file recorded in it
  private boolean writing; // a pinned state machine is being written
  private long appliedBytes; // estimated bytes of the entries applied after the snapshot index
  private long appliedBytesAtPin; // appliedBytes when the snapshot being written was pinned
  private SnapshotReceiver receiving; // a leader's snapshot partly received, or null

  SnapshotKeeper(SnapshotStore store, RaftSettings settings, SnapshotRef recovered) {
    this.store = store;
    this.settings = settings;
    this.current = recovered;
    this.durable = recovered;
  }

  SnapshotRef current() {
    return current;
  }

  boolean writing() {
    return writing;
  }

  /** Counts an applied entry toward the next snapshot. */
  void applied(int commandBytes) {
    appliedBytes += commandBytes + ENTRY_OVERHEAD_BYTES;
  }

  /** Whether a snapshot should be started now, given the entries applied since the last one. */
  boolean due(long appliedEntries) {
    if (writing || appliedEntries <= 0) return false;
    if (appliedEntries > settings.snapshotEntriesMax()) return true;
    long lastBytes = current == null ? 0 : current.sizeBytes();
    long threshold = Math.max(settings.snapshotLogBytesMin(), Math.min(settings.snapshotLogBytesMax(), lastBytes));
    return appliedBytes >= threshold;
  }

  /** Streams {@code writer}'s pinned state to a new file on the worker; {@code done} gets the outcome (on the worker's thread). */
  void write(long term, SnapshotWriter writer, Consumer<RaftNode.SnapshotWritten> done) {
    if (writing) throw new IllegalStateException("a snapshot is being written already");
    writing = true;
    appliedBytesAtPin = appliedBytes;
    long index = writer.index();
    store.worker().execute(() -> {
      long started = System.nanoTime();
      RaftNode.SnapshotWritten outcome;
      try {
        SnapshotRef file = store.files().write(term, writer);
        outcome = new RaftNode.SnapshotWritten(index, file, null, System.nanoTime() - started);
      } catch (IOException | RuntimeException e) {
        outcome = new RaftNode.SnapshotWritten(index, null, e.toString(), System.nanoTime() - started);
      }
      done.accept(outcome);
    });
  }

  /** The background write ended; returns its file when it is newer than the log's snapshot, else null. */
  SnapshotRef written(RaftNode.SnapshotWritten w, long logSnapshotIndex) {
    writing = false;
    // Failed, or overtaken by a leader's snapshot; at the log's own index it replaces an inline snapshot only.
    if (w.file() == null || w.index() < logSnapshotIndex || w.index() == logSnapshotIndex && current != null) return null;
    appliedBytes = Math.max(0, appliedBytes - appliedBytesAtPin);
    return w.file();
  }

  /** The log's snapshot is now {@code file}, recorded in log batch {@code batch}. */
  void adopted(SnapshotRef file, long batch, boolean installed) {
    current = file;
    awaitingDurability.put(batch, file);
    if (installed) appliedBytes = 0;
    prune();
  }

  /** Log batches up to {@code batch} are durable: files older than the newest durable snapshot may go. */
  void durable(long batch) {
    Map.Entry<Long, SnapshotRef> newest = awaitingDurability.floorEntry(batch);
    if (newest == null) return;
    durable = newest.getValue();
    awaitingDurability.headMap(batch, true).clear();
    prune();
  }

  /**
   * Deletes the files no longer needed: all but the durable one, the current one and those whose
   * event is not durable yet. Not while a write is under way: its file, once written, is not
   * known here until its outcome arrives, and must not be taken for an old one.
   */
  private void prune() {
    if (writing || durable == null) return;
    List<SnapshotRef> keep = new ArrayList<>(awaitingDurability.values());
    keep.add(durable);
    if (current != null) keep.add(current);
    try {
      store.files().retainOnly(keep);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete old snapshot files in " + store.files().dir(), e);
    }
  }

  /** Opens {@code file} for a restore. */
  InputStream open(SnapshotRef file) {
    try {
      return store.files().open(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read snapshot file " + file.fileName() + " in " + store.files().dir(), e);
    }
  }

  /** One chunk of the current snapshot, at {@code offset}. */
  byte[] chunk(SnapshotRef file, long offset) throws IOException {
    return store.files().readChunk(file, offset, settings.snapshotChunkBytes());
  }

  /**
   * Takes a chunk of a leader's snapshot; returns the next offset wanted, or the completed file
   * once every byte is in and verified (then the receiver is done).
   */
  Object receive(RaftMessage.InstallSnapshot is) throws IOException {
    if (receiving != null && (receiving.index() != is.lastIncludedIndex() || receiving.term() != is.lastIncludedTerm())) {
      if (is.offset() != 0) return 0L; // another snapshot's chunk: ask for the new one from its start
      receiving.close();
      receiving = null;
    }
    if (receiving == null) {
      if (is.offset() != 0) return 0L;
      receiving = store.files().receive(is.lastIncludedIndex(), is.lastIncludedTerm(), settings.snapshotBytesMax());
    }
    long next = receiving.offer(is.offset(), is.data());
    if (next < is.totalBytes()) return next;
    SnapshotReceiver done = receiving;
    receiving = null;
    return done.complete(is.totalBytes(), is.crc32c());
  }

  /** Drops a partly received snapshot (its leader is gone, or it failed). */
  void abandonReceive() {
    if (receiving != null) {
      receiving.close();
      receiving = null;
    }
  }

  SnapshotFiles files() {
    return store.files();
  }
}
