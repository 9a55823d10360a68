package io.raftkv.raft.rules;

import static io.raftkv.raft.rules.ProgressFlowControlTest.replicating;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Check-quorum (Raft dissertation §6.2): a leader steps down when it has not heard from a majority
 * within an election timeout. Each follower's {@link Progress} remembers whether it answered since
 * the leader last asked ({@link Progress#takeRecentActive}).
 */
@DisplayName("dissertation §6.2 check-quorum: follower activity")
class CheckQuorumActivityTest {

  @Test
  @DisplayName("a follower that has not answered is not active")
  void initiallyInactive() {
    assertFalse(new Progress(1, 4).takeRecentActive());
  }

  @Test
  @DisplayName("sending is no sign of life: only answers are")
  void sendingIsNotActivity() {
    // A leader cut off from everybody keeps sending; if that counted it would never step down.
    Progress pr = new Progress(1, 4);
    pr.sent(0);
    pr.tickAndCheckLost(1);
    pr.startSnapshot(5);
    pr.snapshotChunkSent(100);
    assertFalse(pr.takeRecentActive());
  }

  @Test
  @DisplayName("every kind of answer counts, and the flag is cleared when read")
  void answersCount() {
    Progress pr = new Progress(5, 4);
    pr.acknowledged(4);
    assertTrue(pr.takeRecentActive());
    assertFalse(pr.takeRecentActive(), "read once per check-quorum round");

    pr.rejected(6, 5);
    assertTrue(pr.takeRecentActive());

    pr.startSnapshot(10);
    pr.snapshotProgress(100, pr.snapshotRound());
    assertTrue(pr.takeRecentActive());

    pr.snapshotInstalled(10);
    assertTrue(pr.takeRecentActive());
  }

  @Test
  @DisplayName("even a stale answer shows the follower is alive")
  void staleAnswerCounts() {
    // It says nothing new about the log, but it was sent by a reachable follower in this term.
    Progress pr = replicating(4, 8);
    pr.takeRecentActive();
    pr.acknowledged(3);
    assertTrue(pr.takeRecentActive());
    pr.rejected(2, 1);
    assertTrue(pr.takeRecentActive());
  }
}
