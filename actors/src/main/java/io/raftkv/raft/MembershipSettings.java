package io.raftkv.raft;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * When a leader promotes a learner to voter on its own (like Consul autopilot's server
 * stabilization): once the learner's log trails the leader's by at most
 * {@code learnerTrailingEntriesMax} entries, and has stayed so for {@code learnerStabilizationTicks}
 * ticks in a row.
 */
public record MembershipSettings(int learnerStabilizationTicks, int learnerTrailingEntriesMax) {
  /** Defaults matching actors/reference.conf at its 10 ms tick: 10 s, 1,000 entries. */
  public static final MembershipSettings DEFAULTS = new MembershipSettings(1_000, 1_000);

  public MembershipSettings {
    if (learnerStabilizationTicks < 1) {
      throw new IllegalArgumentException("raftkv.raft.learner-stabilization-time: must be at least one tick");
    }
    if (learnerTrailingEntriesMax < 0) {
      throw new IllegalArgumentException("raftkv.raft.learner-trailing-entries-max: must be >= 0, was " + learnerTrailingEntriesMax);
    }
  }

  /** Reads {@code learner-stabilization-time} (a duration, in ticks of {@code tickInterval}) and {@code learner-trailing-entries-max}. */
  static MembershipSettings fromConfig(Config raft, Duration tickInterval) {
    Duration stabilization = raft.getDuration("learner-stabilization-time");
    if (tickInterval.isZero() || tickInterval.isNegative()) return DEFAULTS; // RaftSettings refuses the tick, naming it
    long ticks = (stabilization.toNanos() + tickInterval.toNanos() - 1) / tickInterval.toNanos();
    if (ticks > Integer.MAX_VALUE) throw new IllegalArgumentException("raftkv.raft.learner-stabilization-time: too long, was " + stabilization);
    return new MembershipSettings((int) ticks, raft.getInt("learner-trailing-entries-max"));
  }
}
