package io.raftkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final long MS = 1_000_000;

  private static List<Long> delays(long seed, int n) {
    Backoff b = new Backoff(Duration.ofMillis(10), Duration.ofMillis(200), new Random(seed));
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(b.nextNanos());
    }
    return out;
  }

  @Test
  void delaysDoubleWithinEqualJitterUpToTheCap() {
    List<Long> d = delays(7, 100);
    long bound = 10 * MS;
    for (long delay : d) {
      assertTrue(delay >= bound / 2 && delay <= bound, delay + " outside [" + bound / 2 + ", " + bound + "]");
      bound = Math.min(bound * 2, 200 * MS);
    }
    assertTrue(d.get(99) <= 200 * MS);
  }

  @Test
  void aSeedReplaysTheSameDelaysAndAnotherSeedDiffers() {
    assertEquals(delays(42, 20), delays(42, 20));
    assertTrue(!delays(42, 20).equals(delays(43, 20)));
  }

  @Test
  void resetStartsOver() {
    Backoff b = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), new Random(1));
    for (int i = 0; i < 10; i++) {
      b.nextNanos();
    }
    b.reset();
    assertTrue(b.nextNanos() <= 10 * MS);
  }
}
