package io.raftkv.raft.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * §5.2 "A candidate wins an election if it receives votes from a majority of the servers in the
 * full cluster for the same term", and §5.3 an entry is committed once a majority stores it. Any
 * two majorities intersect, which is what both election safety and commitment rest on.
 */
@DisplayName("§5.2/§5.3 majorities")
class QuorumTest {

  @ParameterizedTest(name = "{0} voters need {1}")
  @DisplayName("§5.2 majority of 1..7 voters")
  @CsvSource({"1, 1", "2, 2", "3, 2", "4, 3", "5, 3", "6, 4", "7, 4"})
  void majority(int voters, int needed) {
    assertEquals(needed, Quorum.majority(voters));
    // Two disjoint groups of this size would need more servers than the cluster has.
    assertTrue(2 * needed > voters);
    assertTrue(2 * (needed - 1) <= voters, "a smaller quorum would also intersect, so this one is not minimal");
  }

  @Test
  @DisplayName("§5.2 a split vote (half of an even cluster) is no majority")
  void splitVote() {
    assertFalse(Quorum.isMajority(Set.of(1, 2), 4));
    assertTrue(Quorum.isMajority(Set.of(1, 2, 3), 4));
    assertFalse(Quorum.isMajority(Set.of(1, 2), 5));
    assertTrue(Quorum.isMajority(Set.of(1, 2, 5), 5));
    assertTrue(Quorum.isMajority(Set.of(1), 1));
  }

  @Test
  @DisplayName("§5.2 votes count per voter id: a duplicated grant counts once")
  void duplicateGrantCountsOnce() {
    // A network that duplicates messages delivers voter 2's grant twice; counting messages
    // instead of voters would let a candidate "win" with 2 of 5.
    Set<Integer> granted = new HashSet<>();
    for (int voter : new int[] {1, 2, 2, 2}) granted.add(voter);
    assertFalse(Quorum.isMajority(granted, 5));
    granted.add(4);
    assertTrue(Quorum.isMajority(granted, 5));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName("§5.3 majorityMatchIndex: the highest index a majority stores")
  @CsvSource(delimiter = ';', value = {
      "7; 7",
      "5 0; 0",
      "5 5; 5",
      "3 1 2; 2",
      "9 9 1; 9",
      "1 2 3 4; 2",
      "4 4 4 1; 4",
      "10 1 10 1 10; 10",
      "10 1 10 1 9; 9",
      "6 5 4 3 2 1 0; 3",
  })
  void majorityMatchIndex(String matches, long expected) {
    assertEquals(expected, Quorum.majorityMatchIndex(parse(matches)));
  }

  @Test
  @DisplayName("§5.3 majorityMatchIndex agrees with counting, for every small cluster state")
  void majorityMatchIndexByCounting() {
    // Exhaustive over 1..5 servers with match indexes 0..3: the answer must be stored by a
    // majority, and no higher index may be.
    for (int n = 1; n <= 5; n++) {
      int states = (int) Math.pow(4, n);
      for (int s = 0; s < states; s++) {
        long[] m = new long[n];
        for (int i = 0, x = s; i < n; i++, x /= 4) m[i] = x % 4;
        long got = Quorum.majorityMatchIndex(m);
        assertTrue(countAtLeast(m, got) >= Quorum.majority(n), () -> Arrays.toString(m));
        assertTrue(countAtLeast(m, got + 1) < Quorum.majority(n), () -> Arrays.toString(m));
      }
    }
  }

  @Test
  @DisplayName("majorityMatchIndex leaves the caller's array as it was")
  void doesNotSortInPlace() {
    // The leader builds the array in follower order; sorting it in place would be a surprise to
    // any caller that reuses it.
    long[] m = {3, 1, 2};
    Quorum.majorityMatchIndex(m);
    assertArrayEquals(new long[] {3, 1, 2}, m);
  }

  private static long countAtLeast(long[] m, long index) {
    long c = 0;
    for (long x : m) if (x >= index) c++;
    return c;
  }

  private static long[] parse(String s) {
    return Arrays.stream(s.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
  }
}
