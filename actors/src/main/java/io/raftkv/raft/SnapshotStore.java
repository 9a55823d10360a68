package io.raftkv.raft;

import io.raftkv.persistence.snapshot.SnapshotFiles;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Where a node keeps its Raft snapshots and who writes them: the snapshot files in its data
 * directory, and the executor that streams a pinned state machine to a new file while the node
 * goes on applying entries. In production the executor is Pekko's dispatcher for blocking work;
 * the simulator runs each write as a scheduled event of its own, so snapshots stay deterministic.
 */
public record SnapshotStore(SnapshotFiles files, Executor worker) {
  public SnapshotStore {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(worker, "worker");
  }
}
