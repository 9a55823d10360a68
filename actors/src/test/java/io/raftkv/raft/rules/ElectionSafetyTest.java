package io.raftkv.raft.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.raftlog.RaftLogState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §5.2 Election Safety: "each server will vote for at most one candidate in a given term, on a
 * first-come-first-served basis". Two candidates can never both collect a majority of one term
 * only if no voter hands out two votes in it ({@link VoteRules#voteAvailable}).
 */
@DisplayName("§5.2 election safety: one vote per term")
class ElectionSafetyTest {
  private static final int NO_VOTE = RaftLogState.NO_VOTE;

  @Test
  @DisplayName("§5.2 a voter that has not voted this term may vote for any candidate")
  void voteAvailableBeforeVoting() {
    assertTrue(VoteRules.voteAvailable(NO_VOTE, 2, NO_VOTE));
    assertTrue(VoteRules.voteAvailable(NO_VOTE, 7, NO_VOTE));
  }

  @Test
  @DisplayName("§5.2 a voter that voted for one candidate refuses another in the same term")
  void secondCandidateRefused() {
    assertFalse(VoteRules.voteAvailable(3, 2, NO_VOTE));
  }

  @Test
  @DisplayName("§5.2 the same candidate asking again gets the same vote (a retransmitted RequestVote)")
  void repeatVoteForSameCandidate() {
    // The first grant may have been lost on the way back; refusing the retry would cost the
    // candidate a vote it already holds and give nobody else one.
    assertTrue(VoteRules.voteAvailable(3, 3, NO_VOTE));
  }

  @Test
  @DisplayName("§5.2 first come, first served: requests of one term from several candidates grant only the first")
  void firstComeFirstServed() {
    int votedFor = NO_VOTE;
    List<Integer> grantedTo = new ArrayList<>();
    for (int candidate : new int[] {4, 2, 4, 5, 2, 4}) {
      if (VoteRules.voteAvailable(votedFor, candidate, NO_VOTE)) {
        votedFor = candidate;
        grantedTo.add(candidate);
      }
    }
    // Candidate 4 asked first; its repeats are granted again, nobody else gets a vote.
    assertEquals(List.of(4, 4, 4), grantedTo);
  }

  @Test
  @DisplayName("§5.2 'no vote' is whatever sentinel the caller names, not a hard-wired id")
  void noVoteSentinelIsTheCallers() {
    // With -1 as the sentinel, 0 is a real vote (for node 0), so candidate 2 must be refused.
    assertFalse(VoteRules.voteAvailable(0, 2, -1));
    assertTrue(VoteRules.voteAvailable(-1, 2, -1));
  }
}
