package io.raftkv.raft.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * §5.4.1 Election restriction: a voter denies its vote to a candidate whose log is less
 * up-to-date than its own. "If the logs have last entries with different terms, then the log with
 * the later term is more up-to-date. If the logs end with the same term, then whichever log is
 * longer is more up-to-date." (etcd-io/raft's TestVoter covers the same table.)
 */
@DisplayName("§5.4.1 vote restriction: only an at-least-as-up-to-date log gets a vote")
class VoteRestrictionTest {

  @ParameterizedTest(name = "candidate (term {0}, index {1}) vs voter (term {2}, index {3}) -> {4}")
  @DisplayName("§5.4.1 up-to-date comparison")
  @CsvSource({
      // later last term wins, even with a shorter log
      "3, 1, 2, 10, true",
      "2, 10, 3, 1, false",
      // equal last terms: the longer log wins, equal length is 'at least as up-to-date'
      "2, 5, 2, 4, true",
      "2, 5, 2, 5, true",
      "2, 4, 2, 5, false",
      // empty logs (term 0, index 0)
      "0, 0, 0, 0, true",
      "0, 0, 1, 1, false",
      "1, 1, 0, 0, true",
  })
  void upToDate(long candidateLastTerm, long candidateLastIndex, long voterLastTerm, long voterLastIndex, boolean expected) {
    assertEquals(expected, VoteRules.candidateLogUpToDate(candidateLastTerm, candidateLastIndex, voterLastTerm, voterLastIndex));
  }

  @Test
  @DisplayName("§5.4.1 a voter that compacted its whole log compares with its snapshot's last index and term")
  void voterWithOnlyASnapshot() {
    // After compaction (§7) the log's last entry is the snapshot boundary; a voter must not
    // forget that it stores index 5 of term 2 just because the entries themselves are gone.
    MemoryLog voter = Logs.logAfterSnapshot(5, 2);
    assertEquals(5, voter.lastIndex());
    assertEquals(2, voter.lastTerm());
    assertTrue(VoteRules.candidateLogUpToDate(2, 5, voter.lastTerm(), voter.lastIndex()));
    assertFalse(VoteRules.candidateLogUpToDate(2, 4, voter.lastTerm(), voter.lastIndex()));
    assertFalse(VoteRules.candidateLogUpToDate(1, 9, voter.lastTerm(), voter.lastIndex()));
  }

  @Test
  @DisplayName("§5.4.1 a candidate missing a committed entry cannot collect a majority")
  void leaderCompletenessByVoting() {
    // Five servers; index 3 (term 2) is committed on S1, S2, S3. S4 and S5 lack it. S4 stands for
    // election: only S5 (and itself) can vote for it, 2 of 5, so it cannot become leader and
    // overwrite the committed entry.
    MemoryLog s4 = Logs.log(1, 1);
    MemoryLog[] voters = {Logs.log(1, 1, 2), Logs.log(1, 1, 2), Logs.log(1, 1, 2), s4, Logs.log(1)};
    Set<Integer> granted = new TreeSet<>();
    for (int id = 1; id <= voters.length; id++) {
      MemoryLog v = voters[id - 1];
      if (VoteRules.candidateLogUpToDate(s4.lastTerm(), s4.lastIndex(), v.lastTerm(), v.lastIndex())) granted.add(id);
    }
    assertEquals(Set.of(4, 5), granted);
    assertFalse(Quorum.isMajority(granted, voters.length));
  }
}
