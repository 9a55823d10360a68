package io.raftkv.raft.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.rules.Progress.State;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The leader's per-follower flow control (etcd-io/raft tracker.Progress): while the follower's log
 * position is unknown it probes with one AppendEntries at a time; once an append is acknowledged it
 * streams optimistically, with at most {@code inflightMax} unanswered (§5.3 replication, pipelined).
 */
@DisplayName("§5.3 replication flow control: PROBE and REPLICATE")
class ProgressFlowControlTest {

  @Test
  @DisplayName("a new follower is probed from the leader's last index + 1")
  void startsInProbe() {
    Progress pr = new Progress(11, 4);
    assertEquals(State.PROBE, pr.state());
    assertEquals(11, pr.nextIndex());
    assertEquals(0, pr.matchIndex());
    assertTrue(pr.canSend());
  }

  @Test
  @DisplayName("PROBE sends one append at a time and does not move nextIndex on sending")
  void probeOneAtATime() {
    // Until the follower answers, the leader does not know whether nextIndex is right: sending
    // more would only pile up rejections.
    Progress pr = new Progress(5, 4);
    pr.sent(7);
    assertFalse(pr.canSend());
    assertEquals(5, pr.nextIndex(), "a probe that may be rejected does not advance nextIndex");
    assertEquals(1, pr.inflight());
  }

  @Test
  @DisplayName("the first acknowledgement switches to REPLICATE with nextIndex after the match")
  void firstAckReplicates() {
    Progress pr = new Progress(5, 4);
    pr.sent(7);
    assertTrue(pr.acknowledged(7));
    assertEquals(State.REPLICATE, pr.state());
    assertEquals(7, pr.matchIndex());
    assertEquals(8, pr.nextIndex());
    assertEquals(0, pr.inflight());
    assertTrue(pr.canSend());
  }

  @Test
  @DisplayName("REPLICATE streams up to inflightMax unanswered appends, advancing nextIndex optimistically")
  void inflightWindow() {
    Progress pr = replicating(3, 4);
    pr.sent(6);
    pr.sent(8);
    pr.sent(9);
    assertEquals(10, pr.nextIndex());
    assertEquals(3, pr.inflight());
    assertFalse(pr.canSend(), "the window of 3 is full");
    assertTrue(pr.acknowledged(6));
    assertTrue(pr.canSend(), "an answer opens the window again");
    assertEquals(10, pr.nextIndex(), "an acknowledgement behind nextIndex does not pull it back");
  }

  @Test
  @DisplayName("a heartbeat (no entries) in REPLICATE does not move nextIndex")
  void heartbeatKeepsNextIndex() {
    Progress pr = replicating(4, 4);
    pr.sent(pr.nextIndex() - 1);
    assertEquals(5, pr.nextIndex());
  }

  @Test
  @DisplayName("stale and duplicated acknowledgements change nothing")
  void staleAckIgnored() {
    // Answers may arrive late or twice; only a higher index is news. Moving matchIndex back
    // would make the leader's commit index computation count fewer replicas than there are, and
    // moving nextIndex back would resend what the follower holds.
    Progress pr = replicating(4, 4);
    pr.sent(8);
    assertTrue(pr.acknowledged(8));
    assertFalse(pr.acknowledged(8), "duplicate");
    assertFalse(pr.acknowledged(6), "stale");
    assertEquals(8, pr.matchIndex());
    assertEquals(9, pr.nextIndex());
    assertEquals(State.REPLICATE, pr.state());
  }

  @Test
  @DisplayName("inflightMax below 1 is refused")
  void invalidWindow() {
    assertThrows(IllegalArgumentException.class, () -> new Progress(1, 0));
  }

  @Test
  @DisplayName("matchIndex < nextIndex, and chunks in flight are seen by the resend timer, under any sequence of events")
  void matchBelowNextAlways() {
    // A seeded random walk over every event the leader can feed in, in any order and with any
    // (also nonsensical) index: the invariant must not depend on the leader calling it well.
    Random random = new Random(2024);
    for (int run = 0; run < 200; run++) {
      Progress pr = new Progress(1 + random.nextInt(20), 1 + random.nextInt(4));
      for (int step = 0; step < 200; step++) {
        long i = random.nextInt(40);
        switch (random.nextInt(8)) {
          case 0 -> { if (pr.canSend()) pr.sent(pr.nextIndex() - 1 + random.nextInt(5)); }
          case 1 -> pr.acknowledged(i);
          case 2 -> pr.rejected(i, random.nextInt(40));
          case 3 -> pr.tickAndCheckLost(1 + random.nextInt(3));
          case 4 -> pr.startSnapshot(i);
          case 5 -> pr.snapshotChunkSent(1 + random.nextInt(100));
          case 6 -> pr.snapshotProgress(i, pr.snapshotRound() - random.nextInt(2));
          default -> pr.snapshotInstalled(i);
        }
        assertTrue(pr.matchIndex() < pr.nextIndex(), "run " + run + " step " + step + ": " + pr);
        assertTrue(pr.inflight() >= 0, pr::toString);
        assertTrue(pr.snapshotChunksInflight() >= 0, pr::toString);
        assertTrue(pr.resendBackoff() >= 1 && pr.resendBackoff() <= Progress.RESEND_BACKOFF_MAX, pr::toString);
        if (pr.state() == State.SNAPSHOT && pr.snapshotChunksInflight() > 0) {
          assertTrue(pr.inflight() > 0, "run " + run + " step " + step + ": chunks in flight the resend timer does not see: " + pr);
        }
      }
    }
  }

  /** A follower in REPLICATE that matches the leader through {@code match}. */
  static Progress replicating(int inflightMax, long match) {
    Progress pr = new Progress(match + 1, inflightMax);
    pr.sent(match);
    pr.acknowledged(match);
    assertEquals(State.REPLICATE, pr.state());
    return pr;
  }
}
