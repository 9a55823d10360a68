package io.raftkv.raft.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ReadIndexQueue#readsInRound}: what a leader's read-round event reports as its reads. */
class ReadIndexQueueRoundSizeTest {

  @Test
  void countsTheReadsOfOneRoundAmongEarlierAndLaterOnes() {
    ReadIndexQueue<String> q = new ReadIndexQueue<>(10);
    q.add("a");
    long first = q.maybeStartRound(5);
    q.add("b");
    q.add("c");
    assertEquals(1, q.readsInRound(first));
    q.quorumReached(first);
    long second = q.maybeStartRound(5); // "a" is confirmed but not served: the state machine is behind
    assertEquals(first + 1, second);
    q.add("d"); // joins the round after the second
    assertEquals(1, q.readsInRound(first));
    assertEquals(2, q.readsInRound(second));
    assertEquals(1, q.readsInRound(second + 1));
    assertEquals(List.of("a"), q.takeServable(5));
    assertEquals(0, q.readsInRound(first));
    assertEquals(2, q.readsInRound(second));
  }
}
