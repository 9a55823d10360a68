package io.raftkv.raft.rules;

import static io.raftkv.raft.rules.ProgressFlowControlTest.replicating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.rules.Progress.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §7 "the leader must occasionally send snapshots to followers that lag behind": once the entries
 * a follower needs are compacted, the leader sends its snapshot in chunks (InstallSnapshot), one
 * at a time, and no appends meanwhile; when it is installed the follower is probed after it.
 */
@DisplayName("§7 sending a snapshot: the SNAPSHOT state")
class ProgressSnapshotTest {
  private static final int RESEND = 3;

  @Test
  @DisplayName("§7 starting a snapshot: no appends, first byte next")
  void start() {
    Progress pr = replicating(4, 5);
    pr.sent(7);
    pr.startSnapshot(20);
    assertEquals(State.SNAPSHOT, pr.state());
    assertEquals(20, pr.snapshotIndex());
    assertEquals(0, pr.snapshotOffset());
    assertEquals(0, pr.inflight());
    assertFalse(pr.canSend(), "appends would be rejected until the snapshot is installed");
  }

  @Test
  @DisplayName("§7 chunks stream several at a time; each answer says how far the follower got")
  void chunks() {
    Progress pr = new Progress(1, 4);
    pr.startSnapshot(20);
    pr.snapshotChunkSent(4096);
    pr.snapshotChunkSent(4096);
    pr.snapshotChunkSent(4096);
    assertEquals(3, pr.snapshotChunksInflight());
    assertEquals(12288, pr.snapshotOffset(), "the next chunk starts after the ones in flight");
    assertEquals(1, pr.inflight(), "something is in flight, for the resend timer");
    pr.snapshotProgress(4096, pr.snapshotRound());
    pr.snapshotProgress(8192, pr.snapshotRound());
    assertEquals(1, pr.snapshotChunksInflight());
    assertEquals(12288, pr.snapshotOffset(), "answers in order change nothing of what is sent next");
    pr.snapshotProgress(12288, pr.snapshotRound());
    assertEquals(0, pr.snapshotChunksInflight());
    assertEquals(0, pr.inflight());
    pr.snapshotChunkSent(4096);
    pr.snapshotProgress(0, pr.snapshotRound()); // a follower that lost its partial file asks to start over
    assertEquals(0, pr.snapshotOffset());
    assertEquals(0, pr.snapshotChunksInflight());
    assertEquals(State.SNAPSHOT, pr.state());
  }

  @Test
  @DisplayName("§7 a chunk lost among several in flight: the answer that does not advance resends from the gap")
  void chunkLostInWindow() {
    Progress pr = new Progress(1, 4);
    pr.startSnapshot(20);
    pr.snapshotChunkSent(100); // [0, 100)
    pr.snapshotChunkSent(100); // [100, 200): lost
    pr.snapshotChunkSent(100); // [200, 300): the follower ignores it and still asks for 100
    pr.snapshotProgress(100, pr.snapshotRound());
    assertEquals(300, pr.snapshotOffset(), "the first answer advances: nothing is known lost yet");
    pr.snapshotProgress(100, pr.snapshotRound());
    assertEquals(100, pr.snapshotOffset(), "an answer that does not advance: resend from the gap");
    assertEquals(0, pr.snapshotChunksInflight());
  }

  @Test
  @DisplayName("§7 the answers to chunks of an earlier round (sent before a rewind, or their duplicates) never rewind again")
  void answersOfAnEarlierRoundDoNotRewind() {
    Progress pr = new Progress(1, 4);
    pr.startSnapshot(20);
    long first = pr.snapshotRound();
    for (int i = 0; i < 4; i++) pr.snapshotChunkSent(100); // [0, 400) of round `first`; [100, 200) is lost
    pr.snapshotProgress(100, first);
    pr.snapshotProgress(100, first); // the answer to [200, 300): a gap, in the current round
    assertEquals(100, pr.snapshotOffset(), "rewound to the gap");
    long second = pr.snapshotRound();
    assertTrue(second > first, "a rewind starts a new round");
    for (int i = 0; i < 4; i++) pr.snapshotChunkSent(100); // [100, 500) of round `second`
    pr.snapshotProgress(100, first); // the answer to [300, 400) of the first round: no news
    assertEquals(500, pr.snapshotOffset(), "an earlier round's answer that does not advance rewinds nothing");
    assertEquals(second, pr.snapshotRound());
    pr.snapshotProgress(200, second); // the resent [100, 200) arrived
    pr.snapshotProgress(300, first); // a late duplicate that advances still counts
    assertEquals(300, pr.snapshotAcked());
  }

  @Test
  @DisplayName("§7 a lost chunk: the follower is probed with a heartbeat, then sent the snapshot again from where it says")
  void chunkLost() {
    Progress pr = new Progress(1, 4);
    pr.startSnapshot(20);
    pr.snapshotChunkSent(100);
    pr.snapshotProgress(100, pr.snapshotRound());
    pr.snapshotChunkSent(100);
    pr.snapshotChunkSent(100);
    for (int i = 1; i < RESEND; i++) assertFalse(pr.tickAndCheckLost(RESEND));
    assertTrue(pr.tickAndCheckLost(RESEND));
    assertTrue(pr.silent(), "no more chunks to a follower that answers nothing: they would queue up in the transport");
    assertEquals(State.PROBE, pr.state());
    assertEquals(0, pr.snapshotChunksInflight());
    pr.probedSilently();
    assertFalse(pr.canSend(), "one heartbeat at a time");
    assertTrue(pr.heardFrom(), "it answered: it may be sent data again");
    assertFalse(pr.silent());
    assertTrue(pr.canSend());
    assertFalse(pr.heardFrom(), "a second answer is no news");
  }

  @Test
  @DisplayName("§7 a late answer to an append sent before the snapshot leaves the lost chunks' resend timer running")
  void lateAppendAnswerDuringSnapshot() {
    // Found by KvMembershipCampaignTest (seed 20025): the late answer cleared `inflight`, the chunks
    // were lost, and nothing was ever sent to the follower again (SNAPSHOT sends no appends, and
    // only something in flight is ever taken as lost).
    for (boolean success : new boolean[] {true, false}) {
      Progress pr = replicating(4, 5);
      pr.sent(7); // its answer comes late
      pr.startSnapshot(20);
      pr.snapshotChunkSent(100);
      pr.snapshotChunkSent(100); // both lost
      if (success) assertFalse(pr.acknowledged(5), "a late success: no news");
      else assertFalse(pr.rejected(3, 1), "a late rejection: stale");
      assertEquals(State.SNAPSHOT, pr.state());
      assertEquals(1, pr.inflight(), "the chunks are still in flight, for the resend timer");
      for (int i = 1; i < RESEND; i++) assertFalse(pr.tickAndCheckLost(RESEND));
      assertTrue(pr.tickAndCheckLost(RESEND), "the lost chunks are taken as lost: the follower is probed, then sent the snapshot again");
    }
  }

  @Test
  @DisplayName("§7 installed: back to PROBE right after the snapshot")
  void installed() {
    Progress pr = new Progress(1, 4);
    pr.startSnapshot(20);
    pr.snapshotChunkSent(100);
    pr.snapshotInstalled(20);
    assertEquals(State.PROBE, pr.state());
    assertEquals(20, pr.matchIndex());
    assertEquals(21, pr.nextIndex());
    assertTrue(pr.canSend());
  }

  @Test
  @DisplayName("§7 an installed snapshot older than the match changes no match")
  void installedOlderThanMatch() {
    // E.g. the follower already covered index 20 when it answered for a snapshot through 15.
    Progress pr = replicating(4, 20);
    pr.startSnapshot(15);
    pr.snapshotInstalled(15);
    assertEquals(20, pr.matchIndex());
    assertEquals(21, pr.nextIndex());
  }

  @Test
  @DisplayName("§7 starting a snapshot again starts from its first byte")
  void restart() {
    Progress pr = new Progress(1, 4);
    pr.startSnapshot(20);
    pr.snapshotProgress(500, pr.snapshotRound());
    pr.startSnapshot(30);
    assertEquals(30, pr.snapshotIndex());
    assertEquals(0, pr.snapshotOffset());
  }
}
