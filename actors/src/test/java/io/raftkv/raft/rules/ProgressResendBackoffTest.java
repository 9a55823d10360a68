package io.raftkv.raft.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.rules.Progress.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The resend timeout backs off: a link slower than resend-ticks (snapshot chunks of 512 KiB over a
 * busy TLS connection) must not have every chunk taken for lost and the transfer started over for ever.
 */
@DisplayName("§7 snapshot transfer and §5.3 replication: the resend timeout backs off on a slow link")
class ProgressResendBackoffTest {
  private static final int RESEND_TICKS = 10;
  private static final int CHUNK = 512 * 1024;

  /** Ticks until the timer takes what is in flight for lost (inclusive), or -1 if it does not within {@code max}. */
  private static int ticksUntilLost(Progress pr, int max) {
    for (int t = 1; t <= max; t++) {
      if (pr.tickAndCheckLost(RESEND_TICKS)) return t;
    }
    return -1;
  }

  @Test
  @DisplayName("each timeout doubles the next, up to RESEND_BACKOFF_MAX times resend-ticks")
  void timeoutsDouble() {
    Progress pr = new Progress(1, 4);
    int expected = RESEND_TICKS;
    for (int round = 0; round < 10; round++) {
      pr.sent(0); // a probe, unanswered
      assertEquals(expected, ticksUntilLost(pr, 10_000), "round " + round);
      expected = Math.min(expected * 2, RESEND_TICKS * Progress.RESEND_BACKOFF_MAX);
      pr.heardFrom(); // it answers a heartbeat: entries may go to it again
    }
    assertEquals(Progress.RESEND_BACKOFF_MAX, pr.resendBackoff());
  }

  @Test
  @DisplayName("a snapshot whose every chunk takes 3x resend-ticks to be answered still goes through")
  void slowChunksGetThrough() {
    int answerTicks = 3 * RESEND_TICKS;
    Progress pr = new Progress(1, 4);
    pr.startSnapshot(20);
    long size = 40L * CHUNK;
    int timeouts = 0;
    int tick = 0;
    while (pr.snapshotOffset() < size && tick < 100_000) {
      if (pr.state() != State.SNAPSHOT) pr.startSnapshot(20); // probed again: the leader starts the snapshot over (worst case)
      long at = pr.snapshotOffset();
      pr.snapshotChunkSent(CHUNK);
      boolean lost = false;
      for (int t = 0; t < answerTicks; t++, tick++) {
        if (pr.tickAndCheckLost(RESEND_TICKS)) {
          lost = true;
          break;
        }
      }
      if (lost) {
        timeouts++;
        pr.heardFrom();
        continue;
      }
      pr.snapshotProgress(at + CHUNK, pr.snapshotRound());
    }
    assertTrue(pr.snapshotOffset() >= size, "the snapshot got through: " + pr.snapshotOffset() + " of " + size + " bytes");
    assertTrue(timeouts <= 3, "a few timeouts until the backoff outgrows the link, not one per chunk: " + timeouts);
  }

  @Test
  @DisplayName("a silent follower is probed every resend-ticks, however far the data's timeout backed off")
  void silentProbesDoNotBackOff() {
    Progress pr = new Progress(1, 4);
    pr.sent(0);
    assertEquals(RESEND_TICKS, ticksUntilLost(pr, 10_000)); // the append is lost: silent from here
    assertTrue(pr.silent());
    for (int i = 0; i < 20; i++) {
      pr.probedSilently();
      assertEquals(RESEND_TICKS, ticksUntilLost(pr, 10_000), "probe " + i);
    }
    assertEquals(2, pr.resendBackoff(), "only the lost append doubled it");
  }

  @Test
  @DisplayName("answers that come quickly bring the timeout back down")
  void quickAnswersHalve() {
    Progress pr = new Progress(1, 4);
    for (int i = 0; i < 4; i++) {
      pr.sent(0);
      ticksUntilLost(pr, 10_000);
      pr.heardFrom();
    }
    assertEquals(16, pr.resendBackoff());
    long match = 0;
    for (int i = 0; i < 4; i++) {
      pr.sent(match + 1);
      assertFalse(pr.tickAndCheckLost(RESEND_TICKS));
      assertTrue(pr.acknowledged(++match));
    }
    assertEquals(1, 1, "four quick answers halve it four times");
  }
}
