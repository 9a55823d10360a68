package io.raftkv.raft.rules;

import java.util.random.RandomGenerator;

/**
 * The election timeout counted in ticks, randomized in [min, max] on every reset (§5.2) from a
 * generator the node is given: seeded in tests, so a run can be replayed.
 */
public final class ElectionTimer {
  private final int ticksMin;
  private final int ticksMax;
  private final RandomGenerator random;
  private int elapsedTicks; // ticks since the last reset
  private int timeoutTicks; // this round's randomized timeout

  public ElectionTimer(int ticksMin, int ticksMax, RandomGenerator random) {
    if (ticksMin < 1 || ticksMax < ticksMin) throw new IllegalArgumentException("need 1 <= min <= max, got " + ticksMin + ".." + ticksMax);
    this.ticksMin = ticksMin;
    this.ticksMax = ticksMax;
    this.random = random;
    reset();
  }

  public void reset() {
    elapsedTicks = 0;
    timeoutTicks = ticksMin + random.nextInt(ticksMax - ticksMin + 1);
  }

  /** Counts one tick; true when the timeout has run out. */
  public boolean tick() {
    elapsedTicks++;
    return elapsedTicks >= timeoutTicks;
  }

  /**
   * Whether a leader was heard from within the minimum election timeout: then a vote request is
   * ignored (the leader lease that keeps a rejoining node from disrupting a healthy leader, §9.6).
   */
  public boolean withinLease() {
    return elapsedTicks < ticksMin;
  }

  public int elapsedTicks() { return elapsedTicks; }
}
