package io.raftkv.raft.rules;

import java.util.Arrays;
import java.util.Set;

/** Majorities over a fixed set of voters. */
public final class Quorum {
  private Quorum() {}

  /** Votes needed to win among {@code voters}. */
  public static int majority(int voters) {
    return voters / 2 + 1;
  }

  /** Whether the distinct voter ids in {@code granted} are a majority of {@code voters} (votes are counted per voter id). */
  public static boolean isMajority(Set<Integer> granted, int voters) {
    return granted.size() >= majority(voters);
  }

  /**
   * The largest index that a majority has durably stored: sort the match indexes and take the one
   * a majority is at or above. {@code matchIndexes} includes the leader's own durable index.
   */
  public static long majorityMatchIndex(long[] matchIndexes) {
    long[] sorted = matchIndexes.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length - majority(sorted.length)];
  }
}
