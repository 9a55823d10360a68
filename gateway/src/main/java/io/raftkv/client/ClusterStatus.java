package io.raftkv.client;

import java.util.List;
import java.util.OptionalInt;

/**
 * The answer of {@code GET /v1/cluster}, as the answering node sees the cluster.
 *
 * @param leader the leader's id; empty when no leader is known
 * @param term   the answering node's term
 * @param nodes  every member, by id
 */
public record ClusterStatus(OptionalInt leader, long term, List<NodeStatus> nodes) {
  public ClusterStatus {
    nodes = List.copyOf(nodes);
  }
}
