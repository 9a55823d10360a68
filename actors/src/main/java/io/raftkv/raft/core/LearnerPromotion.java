package io.raftkv.raft.core;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.raft.MembershipSettings;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * A leader's watch over its learners: a learner to be promoted counts the ticks it has been caught
 * up in a row (its log trailing the leader's by at most {@code learnerTrailingEntriesMax}); one
 * that stayed caught up for {@code learnerStabilizationTicks} is due for promotion. Falling behind
 * starts the count again.
 */
final class LearnerPromotion {
  private final MembershipSettings settings;
  private final TreeMap<Integer, Integer> caughtUpTicks = new TreeMap<>(); // by learner id

  LearnerPromotion(MembershipSettings settings) {
    this.settings = settings;
  }

  /**
   * One tick: returns the learner due for promotion (the lowest id of those due), or 0.
   *
   * @param matchIndex a member's match index, by id
   */
  int tick(Configuration config, LongUnaryOperator matchIndex, long lastIndex) {
    caughtUpTicks.keySet().removeIf(id -> config.member(id) == null || config.member(id).voter());
    int due = 0;
    for (Member m : config.members()) {
      if (m.voter() || !m.promote()) continue;
      boolean caughtUp = matchIndex.applyAsLong(m.id()) >= lastIndex - settings.learnerTrailingEntriesMax();
      int ticks = caughtUp ? caughtUpTicks.merge(m.id(), 1, Integer::sum) : 0;
      if (!caughtUp) caughtUpTicks.remove(m.id());
      if (due == 0 && ticks >= settings.learnerStabilizationTicks()) due = m.id();
    }
    return due;
  }

  /** Ticks learner {@code id} has stayed caught up (0 when behind, or not a learner to promote). */
  int caughtUpTicks(int id) {
    return caughtUpTicks.getOrDefault(id, 0);
  }
}
