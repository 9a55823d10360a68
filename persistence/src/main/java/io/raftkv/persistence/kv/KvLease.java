package io.raftkv.persistence.kv;

/**
 * A lease of the key-value state machine: granted by the entry at index {@code id}, for
 * {@code ttlSeconds}, kept alive last by the entry at {@code refreshIndex} (the grant's own, until
 * a keep-alive). Part of the replicated state; when it runs out is decided by the leader, which
 * counts the TTL from when it applied the entry at {@code refreshIndex}.
 */
public record KvLease(long id, long ttlSeconds, long refreshIndex) {}
