package io.raftkv.raft.rules;

import static io.raftkv.raft.rules.Logs.log;
import static io.raftkv.raft.rules.Logs.logAfterSnapshot;
import static io.raftkv.raft.rules.Logs.terms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.raftlog.LogEntry;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * §5.3 "the leader must find the latest log entry where the two logs agree": after a rejection it
 * backs nextIndex up, using the follower's conflict hints to skip a whole term per round trip
 * (the optimization §5.3 sketches). {@link AppendRules#nextIndexFromHints}: if the leader has the
 * conflicting term, it resumes after its own last entry of that term; if not, at conflictIndex.
 */
@DisplayName("§5.3 log repair: the leader backs up nextIndex from the conflict hints")
class LogRepairTest {

  @Test
  @DisplayName("§5.3 leader has the conflicting term: resume after its last entry of that term")
  void leaderHasConflictTerm() {
    MemoryLog leader = log(1, 1, 2, 2, 4, 4);
    assertEquals(5, AppendRules.nextIndexFromHints(leader, 3, 2));
    assertEquals(3, AppendRules.nextIndexFromHints(leader, 1, 1));
  }

  @Test
  @DisplayName("§5.3 leader lacks the conflicting term: resume at conflictIndex (skip the follower's whole term)")
  void leaderLacksConflictTerm() {
    MemoryLog leader = log(1, 1, 2, 2, 4, 4);
    assertEquals(5, AppendRules.nextIndexFromHints(leader, 5, 3));
    assertEquals(2, AppendRules.nextIndexFromHints(leader, 2, 5), "a term after the leader's last is not the leader's either");
  }

  @Test
  @DisplayName("§5.3 follower's log too short (conflictTerm 0): resume at conflictIndex")
  void followerTooShort() {
    MemoryLog leader = log(1, 1, 2, 2, 4, 4);
    assertEquals(4, AppendRules.nextIndexFromHints(leader, 4, 0));
  }

  @Test
  @DisplayName("§7 the conflicting term's last entry may be the leader's snapshot boundary")
  void conflictTermEndsAtLeadersSnapshot() {
    MemoryLog leader = logAfterSnapshot(4, 2, 4, 4);
    assertEquals(5, AppendRules.nextIndexFromHints(leader, 3, 2));
  }

  @Test
  @DisplayName("§5.3 nextIndex never drops below 1")
  void neverBelowOne() {
    assertEquals(1, AppendRules.nextIndexFromHints(log(1), 0, 0));
  }

  /**
   * Figure 7: the term-8 leader (its log plus the no-op of term 8 at index 11) brings each of the
   * followers (a)..(f) to its own log. The hints, through {@link Progress#rejected}, bound the
   * round trips by the number of conflicting terms, not entries: (f) lacks 8 entries but is
   * repaired in 3 round trips.
   */
  @ParameterizedTest(name = "follower ({0}) in {2} round trips")
  @DisplayName("§5.3 Figure 7: every follower converges to the leader's log")
  @CsvSource({
      "a, 1 1 1 4 4 5 5 6 6, 2",
      "b, 1 1 1 4, 2",
      "c, 1 1 1 4 4 5 5 6 6 6 6, 2",
      "d, 1 1 1 4 4 5 5 6 6 6 7 7, 2",
      "e, 1 1 1 4 4 4 4, 3",
      "f, 1 1 1 2 2 2 3 3 3 3 3, 3",
  })
  void figure7(String name, String followerTerms, int roundTrips) {
    MemoryLog leader = log(1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 8);
    MemoryLog follower = log(parse(followerTerms));
    long commitIndex = 3; // the entries every log in Figure 7 shares (enough to be committed)
    Progress pr = new Progress(leader.lastIndex() + 1, 4);
    int trips = 0;
    while (pr.matchIndex() < leader.lastIndex()) {
      assertTrue(++trips <= leader.lastIndex(), "no convergence");
      long prev = pr.nextIndex() - 1;
      List<LogEntry> sent = leader.slice(pr.nextIndex(), 100, Long.MAX_VALUE);
      pr.sent(prev + sent.size());
      var outcome = AppendRules.apply(follower, commitIndex, prev, leader.termAt(prev), sent);
      if (outcome instanceof AppendRules.Rejected r) {
        assertTrue(pr.rejected(prev, AppendRules.nextIndexFromHints(leader, r.conflictIndex(), r.conflictTerm())));
      } else {
        pr.acknowledged(assertInstanceOf(AppendRules.Accepted.class, outcome).matchIndex());
      }
    }
    assertEquals(terms(leader), terms(follower), "follower (" + name + ")");
    assertEquals(roundTrips, trips, "round trips for follower (" + name + ")");
  }

  private static long[] parse(String s) {
    return java.util.Arrays.stream(s.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
  }
}
