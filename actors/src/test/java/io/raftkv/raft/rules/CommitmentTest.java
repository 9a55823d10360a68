package io.raftkv.raft.rules;

import static io.raftkv.raft.rules.Logs.log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §5.3 a leader commits an entry once a majority stores it; §5.4.2 "Raft never commits log entries
 * from previous terms by counting replicas. Only log entries from the leader's current term are
 * committed by counting replicas", and Figure 8 shows why. The match indexes passed to
 * {@link CommitRules#advance} include the leader's own. (etcd-io/raft: TestLeaderCommitEntry,
 * TestLeaderOnlyCommitsLogFromCurrentTerm.)
 */
@DisplayName("§5.3/§5.4.2 commitment")
class CommitmentTest {

  @Test
  @DisplayName("§5.3 an entry of the current term on a majority is committed")
  void commitCurrentTermOnMajority() {
    MemoryLog leader = log(1, 1, 2);
    assertEquals(3, CommitRules.advance(0, new long[] {3, 3, 0}, leader, 2));
    // Committing index 3 commits everything before it (Log Matching): 1 and 2 with it.
    assertEquals(2, CommitRules.advance(0, new long[] {3, 2, 2}, log(1, 2, 2), 2));
  }

  @Test
  @DisplayName("§5.3 without a majority nothing is committed")
  void noMajorityNoCommit() {
    MemoryLog leader = log(2, 2, 2);
    assertEquals(0, CommitRules.advance(0, new long[] {3, 0, 0}, leader, 2));
    assertEquals(0, CommitRules.advance(0, new long[] {3, 3, 0, 0}, leader, 2), "2 of 4 is no majority");
    assertEquals(3, CommitRules.advance(0, new long[] {3, 3, 3, 0}, leader, 2));
  }

  @Test
  @DisplayName("§5.3 a single-server cluster commits what it stores itself")
  void singleServer() {
    assertEquals(2, CommitRules.advance(0, new long[] {2}, log(1, 1), 1));
  }

  @Test
  @DisplayName("§5.3 the commit index never goes back")
  void neverDecreases() {
    // After a follower restarts, its match index can be reported lower for a while; the leader
    // must not "uncommit" what it already told the state machine.
    MemoryLog leader = log(1, 1, 1, 1, 1);
    assertEquals(5, CommitRules.advance(5, new long[] {5, 3, 3}, leader, 1));
    assertEquals(5, CommitRules.advance(5, new long[] {5, 5, 5}, leader, 1));
  }

  /**
   * Figure 8, five servers. (a) S1 leads term 2 and writes index 2 to S1, S2. (b) S5 leads term 3
   * and writes index 2 (term 3) to itself only. (c) S1 leads term 4, and brings index 2 (term 2) to
   * S3: a majority stores it. It must still not be committed: in (d) S5 could win term 5 with the
   * votes of S2, S3, S4 (its last term 3 beats their 2) and overwrite index 2 everywhere. (e) Once
   * S1's own entry of term 4 (index 3) is on a majority, both are committed: S5 can then no longer
   * win.
   */
  @Test
  @DisplayName("§5.4.2 Figure 8: an older-term entry on a majority is not committed by counting")
  void figure8() {
    MemoryLog s1 = log(1, 2, 4); // (c)
    long term = 4;
    long[] matchC = {3, 2, 2, 1, 1}; // S1..S5: index 2 (term 2) on S1, S2, S3
    assertEquals(2, Quorum.majorityMatchIndex(matchC), "index 2 is on a majority");
    assertEquals(1, CommitRules.advance(1, matchC, s1, term), "but it is of term 2, not 4: not committed");

    // Why it would be unsafe: (d) S5, log [1, 3], gets S2, S3 and S4 to vote for it.
    MemoryLog s5 = log(1, 3);
    for (MemoryLog voter : new MemoryLog[] {log(1, 2), log(1, 2), log(1)}) {
      assertTrue(VoteRules.candidateLogUpToDate(s5.lastTerm(), s5.lastIndex(), voter.lastTerm(), voter.lastIndex()));
    }

    // (e) S1's term-4 entry reaches a majority: it commits, and index 2 with it.
    long[] matchE = {3, 3, 3, 1, 1};
    assertEquals(3, CommitRules.advance(1, matchE, s1, term));
  }

  @Test
  @DisplayName("§5.4.2 a new leader commits nothing of earlier terms until an entry of its own term is on a majority")
  void newLeaderWaitsForOwnTerm() {
    // The new leader of term 3 has entries 1..4 of term 2 everywhere, and its no-op (index 5, term 3)
    // only locally. Its commit index stays until the no-op is replicated (§8: why a leader
    // appends a no-op when it starts).
    MemoryLog leader = log(2, 2, 2, 2, 3);
    assertEquals(0, CommitRules.advance(0, new long[] {5, 4, 4}, leader, 3));
    assertEquals(5, CommitRules.advance(0, new long[] {5, 5, 4}, leader, 3));
  }
}
