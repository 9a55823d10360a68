package io.raftkv.raft.rules;

/** When a leader may advance its commit index (§5.3, §5.4.2). */
public final class CommitRules {
  private CommitRules() {}

  /**
   * The leader's new commit index: the index a majority stores, but only if that entry is of the
   * leader's own term. Entries of earlier terms are never committed by counting replicas (Figure 8);
   * they are committed indirectly, with the first entry of the current term.
   */
  public static long advance(long commitIndex, long[] matchIndexes, MemoryLog log, long currentTerm) {
    long candidate = Quorum.majorityMatchIndex(matchIndexes);
    if (candidate > commitIndex && log.termAt(candidate) == currentTerm) return candidate;
    return commitIndex;
  }
}
