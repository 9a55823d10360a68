package io.raftkv.client;

/**
 * One member as {@code GET /v1/cluster} reports it. Numbers a node could not report (it is
 * unreachable) are -1, its role {@code "UNKNOWN"}.
 *
 * @param id           the node id from the cluster configuration
 * @param http         its HTTP base URL
 * @param role         LEADER, FOLLOWER, CANDIDATE (or UNKNOWN)
 * @param term         its current term
 * @param commitIndex  its commit index
 * @param appliedIndex the last index it applied to its state machine
 * @param reachable    whether the answering node could reach it
 */
public record NodeStatus(
    int id, String http, String role, long term, long commitIndex, long appliedIndex, boolean reachable) {}
