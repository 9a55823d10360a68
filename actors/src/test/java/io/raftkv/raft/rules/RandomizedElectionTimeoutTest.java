package io.raftkv.raft.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * §5.2 "Raft uses randomized election timeouts to ensure that split votes are rare": each reset
 * draws a new timeout from [min, max] ticks. The generator is handed in, so these tests seed a
 * {@link java.util.Random}; its algorithm is specified, so every run sees the same numbers.
 */
@DisplayName("§5.2 randomized election timeout")
class RandomizedElectionTimeoutTest {
  private static final int MIN = 10;
  private static final int MAX = 20;

  @Test
  @DisplayName("§5.2 every timeout lies in [min, max], and both ends are drawn")
  void timeoutsWithinBounds() {
    ElectionTimer timer = new ElectionTimer(MIN, MAX, new Random(7));
    Set<Integer> seen = new TreeSet<>();
    for (int round = 0; round < 1000; round++) {
      int t = ticksToTimeout(timer);
      assertTrue(t >= MIN && t <= MAX, "timeout " + t + " outside [" + MIN + ", " + MAX + "]");
      seen.add(t);
      timer.reset();
    }
    // The whole range is used, ends included: an off-by-one in the bound would never draw MAX
    // (or would draw MIN - 1 / MAX + 1, caught above).
    assertEquals(MAX - MIN + 1, seen.size(), "drawn: " + seen);
  }

  @Test
  @DisplayName("§5.2 servers with different seeds time out at different moments (split votes are rare)")
  void differentSeedsDiffer() {
    assertNotEquals(timeouts(1, 20), timeouts(2, 20));
    // Five servers started together: if they all timed out on the same tick every election
    // would split.
    Set<Integer> firstTimeouts = new HashSet<>();
    for (long seed = 1; seed <= 5; seed++) firstTimeouts.add(timeouts(seed, 1).get(0));
    assertTrue(firstTimeouts.size() > 1, "all five servers drew " + firstTimeouts);
  }

  @Test
  @DisplayName("§5.2 the same seed replays the same sequence of timeouts")
  void sameSeedSameSequence() {
    // What makes a simulated run replayable from its seed.
    assertEquals(timeouts(42, 50), timeouts(42, 50));
  }

  @Test
  @DisplayName("§5.2 a reset starts a fresh count (hearing from the leader postpones the election)")
  void resetRestartsCount() {
    ElectionTimer timer = new ElectionTimer(MIN, MIN, new Random(1));
    for (int i = 0; i < MIN - 1; i++) assertFalse(timer.tick());
    timer.reset();
    assertEquals(0, timer.elapsedTicks());
    for (int i = 0; i < MIN - 1; i++) assertFalse(timer.tick(), "timed out after a reset at tick " + (i + 1));
    assertTrue(timer.tick());
  }

  @Test
  @DisplayName("§5.2 min == max is a fixed timeout")
  void fixedTimeout() {
    ElectionTimer timer = new ElectionTimer(3, 3, new Random(3));
    for (int round = 0; round < 20; round++) {
      assertEquals(3, ticksToTimeout(timer));
      timer.reset();
    }
  }

  @Test
  @DisplayName("§9.6 lease: within the minimum timeout since the leader was heard, but not after it")
  void leaseUntilMinimumTimeout() {
    // A follower ignores RequestVote while it heard from a leader less than the minimum election
    // timeout ago; from then on the leader may really be gone.
    ElectionTimer timer = new ElectionTimer(MIN, MAX, new Random(5));
    assertTrue(timer.withinLease());
    for (int i = 1; i < MIN; i++) {
      timer.tick();
      assertTrue(timer.withinLease(), "lease lost after " + i + " ticks");
    }
    timer.tick();
    assertFalse(timer.withinLease(), "lease still held after " + MIN + " ticks");
    timer.reset();
    assertTrue(timer.withinLease(), "a reset (leader heard again) renews the lease");
  }

  @ParameterizedTest(name = "[{0}, {1}]")
  @DisplayName("invalid bounds are refused")
  @CsvSource({"0, 5", "-1, 3", "5, 4", "1, 0"})
  void invalidBounds(int min, int max) {
    assertThrows(IllegalArgumentException.class, () -> new ElectionTimer(min, max, new Random(1)));
  }

  /** The number of ticks until the timer says the election timeout ran out. */
  private static int ticksToTimeout(ElectionTimer timer) {
    for (int t = 1; t <= MAX + 1_000; t++) {
      if (timer.tick()) return t;
    }
    return fail("no timeout within " + (MAX + 1_000) + " ticks");
  }

  private static List<Integer> timeouts(long seed, int count) {
    ElectionTimer timer = new ElectionTimer(MIN, MAX, new Random(seed));
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(ticksToTimeout(timer));
      timer.reset();
    }
    return out;
  }
}
