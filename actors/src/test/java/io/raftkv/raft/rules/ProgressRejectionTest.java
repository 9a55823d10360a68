package io.raftkv.raft.rules;

import static io.raftkv.raft.rules.ProgressFlowControlTest.replicating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.rules.Progress.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §5.3 "After a rejection, the leader decrements nextIndex and retries": here it goes back to
 * PROBE and resumes where the conflict hints say, but never below what the follower is known to
 * match (etcd-io/raft Progress.MaybeDecrTo). A rejection of an index the follower has since
 * acknowledged is an old answer and is ignored.
 */
@DisplayName("§5.3 rejected AppendEntries: back to PROBE")
class ProgressRejectionTest {

  @Test
  @DisplayName("§5.3 a rejection goes back to PROBE with nextIndex from the hint")
  void rejectionProbes() {
    Progress pr = replicating(4, 5);
    pr.sent(9);
    assertTrue(pr.rejected(9, 7));
    assertEquals(State.PROBE, pr.state());
    assertEquals(7, pr.nextIndex());
    assertEquals(0, pr.inflight(), "everything sent after the rejected append will be rejected as well");
    assertTrue(pr.canSend());
  }

  @Test
  @DisplayName("§5.3 nextIndex is at most the rejected prevLogIndex, whatever the hint says")
  void hintClampedToRejectedIndex() {
    // The follower lacks prevLogIndex at prevLogTerm, so the next try must start at or before it.
    Progress pr = replicating(4, 5);
    assertTrue(pr.rejected(8, 20));
    assertEquals(8, pr.nextIndex());
  }

  @Test
  @DisplayName("§5.3 nextIndex never drops to or below matchIndex")
  void neverBelowMatch() {
    // Entries through matchIndex are known to be on the follower; resending them is waste, and
    // nextIndex <= matchIndex would break the invariant matchIndex < nextIndex.
    Progress pr = replicating(4, 5);
    assertTrue(pr.rejected(9, 2));
    assertEquals(6, pr.nextIndex());
    assertEquals(5, pr.matchIndex());
  }

  @Test
  @DisplayName("§5.3 a rejection in PROBE moves the probe")
  void rejectionWhileProbing() {
    Progress pr = new Progress(11, 4);
    pr.sent(10);
    assertTrue(pr.rejected(10, 4));
    assertEquals(State.PROBE, pr.state());
    assertEquals(4, pr.nextIndex());
    assertTrue(pr.canSend(), "the probe was answered, the next may go");
  }

  @Test
  @DisplayName("§5.3 a stale rejection (of an index below matchIndex) is ignored")
  void staleRejectionIgnored() {
    Progress pr = replicating(4, 7);
    pr.sent(9);
    assertFalse(pr.rejected(6, 3));
    assertEquals(State.REPLICATE, pr.state());
    assertEquals(7, pr.matchIndex());
    assertEquals(10, pr.nextIndex());
  }

  @Test
  @DisplayName("§5.3 a rejection of prevLogIndex == matchIndex is stale too, and is ignored")
  void rejectionAtMatchIndexIsStale() {
    // The follower acknowledged holding the leader's entry at index 7, and within a term it never
    // loses a matching entry (acknowledgements are sent once durable; a leader only appends). So a
    // rejection of prevLogIndex 7 was sent before that acknowledgement and overtaken by it.
    // Acting on it would knock a streaming follower back to PROBE and resend what is in flight. etcd-io/raft's MaybeDecrTo: "if rejected <= pr.Match ... stale".
    Progress pr = replicating(4, 7);
    pr.sent(9);
    assertFalse(pr.rejected(7, 3));
    assertEquals(State.REPLICATE, pr.state());
    assertEquals(7, pr.matchIndex());
    assertEquals(10, pr.nextIndex(), "appends already streamed past 7 are not resent");
  }
}
