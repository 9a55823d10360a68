package io.raftkv.persistence.kv;

/**
 * How much history (past versions and the list of changes a watch reads) a {@link KvStateMachine}
 * keeps before it compacts by itself. The oldest revisions go first, one at a time, at apply, so
 * replicas with the same policy compact at the same revisions and answer past reads alike;
 * configure the same policy on every node. History lives in the heap beside the state.
 *
 * @param revisionsMax the most revisions with changes kept above the compacted revision
 * @param bytesMax the most bytes (UTF-8 keys plus values) of the changes kept above it; a single
 *     revision larger than that is compacted as soon as it is applied
 */
public record HistoryPolicy(int revisionsMax, long bytesMax) {

  /** 100,000 revisions and 64 MiB: a watcher may fall this far behind and still resume. */
  public static final HistoryPolicy DEFAULT = new HistoryPolicy(100_000, 64L << 20);

  public HistoryPolicy {
    if (revisionsMax < 1) {
      throw new IllegalArgumentException("revisionsMax must be >= 1 revisions, got " + revisionsMax);
    }
    if (bytesMax < 1) {
      throw new IllegalArgumentException("bytesMax must be >= 1 bytes, got " + bytesMax);
    }
  }

  /** Whether history of this size is over the policy. */
  boolean exceededBy(int revisions, long bytes) {
    return revisions > revisionsMax || bytes > bytesMax;
  }
}
