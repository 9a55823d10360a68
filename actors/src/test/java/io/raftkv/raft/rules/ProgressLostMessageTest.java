package io.raftkv.raft.rules;

import static io.raftkv.raft.rules.ProgressFlowControlTest.replicating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.rules.Progress.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §5.3 "If followers crash or run slowly, or if network packets are lost, the leader retries
 * AppendEntries RPCs indefinitely". An append (or snapshot chunk) unanswered for
 * {@code resendTicks} is taken as lost: the window is cleared, and a streaming follower is probed
 * again from its match index (etcd-io/raft drops to probe the same way).
 */
@DisplayName("§5.3 lost appends are detected and retried")
class ProgressLostMessageTest {
  private static final int RESEND = 3;

  @Test
  @DisplayName("nothing in flight: nothing is lost, however long it is quiet")
  void idleNeverLost() {
    Progress pr = new Progress(1, 4);
    for (int i = 0; i < 100; i++) assertFalse(pr.tickAndCheckLost(RESEND));
  }

  @Test
  @DisplayName("§5.3 an unanswered probe is lost after exactly resendTicks, and may then be sent again")
  void probeLost() {
    Progress pr = new Progress(5, 4);
    pr.sent(4);
    for (int i = 1; i < RESEND; i++) assertFalse(pr.tickAndCheckLost(RESEND), "lost already after " + i + " ticks");
    assertTrue(pr.tickAndCheckLost(RESEND));
    assertEquals(0, pr.inflight());
    assertTrue(pr.canSend(), "otherwise PROBE would wait forever for an answer that will not come");
    assertEquals(State.PROBE, pr.state());
    assertEquals(5, pr.nextIndex());
    assertFalse(pr.tickAndCheckLost(RESEND), "reported once, not on every later tick");
  }

  @Test
  @DisplayName("§5.3 lost while streaming: back to PROBE from matchIndex + 1")
  void replicateLost() {
    // Appends after the lost one were rejected or will be: the follower's log ends at an unknown
    // point after matchIndex, so the leader probes from there.
    Progress pr = replicating(4, 5);
    pr.sent(8);
    pr.sent(10);
    assertEquals(11, pr.nextIndex());
    for (int i = 1; i < RESEND; i++) assertFalse(pr.tickAndCheckLost(RESEND));
    assertTrue(pr.tickAndCheckLost(RESEND));
    assertEquals(State.PROBE, pr.state());
    assertEquals(6, pr.nextIndex());
    assertEquals(5, pr.matchIndex());
  }

  @Test
  @DisplayName("each send restarts the count")
  void sendRestartsCount() {
    Progress pr = replicating(4, 5);
    pr.sent(6);
    pr.tickAndCheckLost(RESEND);
    pr.tickAndCheckLost(RESEND);
    pr.sent(7);
    for (int i = 1; i < RESEND; i++) assertFalse(pr.tickAndCheckLost(RESEND));
    assertTrue(pr.tickAndCheckLost(RESEND));
  }

  @Test
  @DisplayName("an answer in time means nothing is lost")
  void answeredInTime() {
    Progress pr = new Progress(5, 4);
    pr.sent(4);
    pr.tickAndCheckLost(RESEND);
    pr.acknowledged(4);
    for (int i = 0; i < 10; i++) assertFalse(pr.tickAndCheckLost(RESEND));
  }
}
