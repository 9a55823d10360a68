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
 * @param stateBytes   its key-value state's size (UTF-8 key bytes plus value bytes), -1 if unknown
 * @param quotaBytes   its space quota ({@code raftkv.kv.quota-bytes}), -1 if unknown
 * @param quotaAlarm   whether its state is over the quota, so that writes growing it are refused (507)
 */
public record NodeStatus(int id, String http, String role, long term, long commitIndex, long appliedIndex, boolean reachable,
    long stateBytes, long quotaBytes, boolean quotaAlarm) {}
