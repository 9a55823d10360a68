package io.raftkv.raft.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §5.2/§5.3, Figure 2: "Persistent state ... (Updated on stable storage before responding to
 * RPCs)". A vote or an acknowledgement is a promise about the log; sent before the batch holding
 * it is durable, a crash could break it (two votes in one term, an acknowledged entry lost from a
 * majority). The barrier holds such messages until their batch is durable, and keeps their order.
 */
@DisplayName("§5.2/§5.3 respond only after storing: the durability barrier")
class DurabilityBarrierTest {
  private final List<String> sent = new ArrayList<>();
  private final DurabilityBarrier<String> barrier = new DurabilityBarrier<>(16);

  @Test
  @DisplayName("a message waits until its batch is durable")
  void heldUntilDurable() {
    barrier.sendAfter(1, "vote", sent::add);
    assertEquals(List.of(), sent, "sent before the vote was stored");
    assertEquals(1, barrier.heldCount());
    barrier.durable(1, sent::add);
    assertEquals(List.of("vote"), sent);
    assertEquals(0, barrier.heldCount());
  }

  @Test
  @DisplayName("an earlier batch being durable releases nothing that waits for a later one")
  void earlierBatchReleasesOnlyItsOwn() {
    barrier.sendAfter(1, "a", sent::add);
    barrier.sendAfter(1, "b", sent::add);
    barrier.sendAfter(2, "c", sent::add);
    barrier.durable(1, sent::add);
    assertEquals(List.of("a", "b"), sent);
    barrier.durable(2, sent::add);
    assertEquals(List.of("a", "b", "c"), sent);
  }

  @Test
  @DisplayName("a later batch being durable releases everything before it too, in order")
  void laterBatchReleasesAll() {
    // Batches are stored in order, so batch 3 durable means 1 and 2 are.
    barrier.sendAfter(1, "a", sent::add);
    barrier.sendAfter(2, "b", sent::add);
    barrier.sendAfter(3, "c", sent::add);
    barrier.durable(3, sent::add);
    assertEquals(List.of("a", "b", "c"), sent);
    assertEquals(3, barrier.durableBatch());
  }

  @Test
  @DisplayName("a message for an already durable batch goes at once when nothing is held")
  void alreadyDurableGoesAtOnce() {
    barrier.sendAfter(0, "before any batch", sent::add);
    assertEquals(List.of("before any batch"), sent, "batch 0 (nothing recorded) needs no wait");
    barrier.durable(3, sent::add);
    barrier.sendAfter(2, "x", sent::add);
    barrier.sendAfter(3, "y", sent::add);
    assertEquals(List.of("before any batch", "x", "y"), sent);
  }

  @Test
  @DisplayName("a message for an already durable batch does not overtake held ones")
  void noOvertaking() {
    // E.g. an acknowledgement of index 5 held for batch 2, then a reply that needs only batch 1:
    // the leader must not see them out of the order the follower made them in.
    barrier.durable(1, sent::add);
    barrier.sendAfter(2, "held", sent::add);
    barrier.sendAfter(1, "later", sent::add);
    assertEquals(List.of(), sent);
    barrier.durable(2, sent::add);
    assertEquals(List.of("held", "later"), sent);
  }

  @Test
  @DisplayName("a late or repeated durability report never moves the durable batch back")
  void durableNeverDecreases() {
    barrier.durable(3, sent::add);
    barrier.durable(2, sent::add);
    assertEquals(3, barrier.durableBatch());
    barrier.sendAfter(3, "x", sent::add);
    assertEquals(List.of("x"), sent);
  }

  @Test
  @DisplayName("at most heldMax messages wait; the oldest are dropped (Raft retries them)")
  void bounded() {
    DurabilityBarrier<String> small = new DurabilityBarrier<>(3);
    for (String m : new String[] {"a", "b", "c", "d", "e"}) small.sendAfter(1, m, sent::add);
    assertEquals(3, small.heldCount());
    small.durable(1, sent::add);
    assertEquals(List.of("c", "d", "e"), sent, "the newest answers are the useful ones");
  }
}
