package io.raftkv.raft.core;

import io.raftkv.persistence.raftlog.Member;

/** One change of the cluster's members (dissertation §4.1: one server at a time). */
public sealed interface ConfigurationChange {
  /** Adds {@code member}; a new node joins as a learner ({@code member.voter()} false) and is promoted when caught up unless {@code member.promote()} is false. */
  record Add(Member member) implements ConfigurationChange {}

  /** Removes member {@code id}; removing the leader hands leadership to another voter first. */
  record Remove(int id) implements ConfigurationChange {}

  /** Makes learner {@code id} a voter. */
  record Promote(int id) implements ConfigurationChange {}

  /**
   * Records the incarnations of members the configuration knows by id only (members of the
   * bootstrap file): by member id. A leader makes this change on its own once it has heard from
   * them; it changes no quorum.
   */
  record Register(java.util.Map<Integer, Long> incarnations) implements ConfigurationChange {
    public Register {
      incarnations = java.util.Map.copyOf(incarnations);
    }
  }
}
