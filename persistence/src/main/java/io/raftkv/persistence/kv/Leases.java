package io.raftkv.persistence.kv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The leases of a {@link KvStateMachine} (replicated state): each lease's TTL and the index of
 * the entry that granted it or last kept it alive, and the keys attached to it. Written by the
 * owner only; {@link #all} may be read from any thread (the node's expiry check does).
 */
final class Leases {

  private final ConcurrentSkipListMap<Long, KvLease> leases = new ConcurrentSkipListMap<>();
  /** Owner only: the keys attached to each lease, in key order (a revoke deletes them so). */
  private final Map<Long, TreeSet<String>> keys = new HashMap<>();

  KvLease get(long id) {
    return leases.get(id);
  }

  int count() {
    return leases.size();
  }

  void grant(long id, long ttlSeconds) {
    leases.put(id, new KvLease(id, ttlSeconds, id));
    keys.put(id, new TreeSet<>());
  }

  /** The lease kept alive by the entry at {@code index}, or null when there is none. */
  KvLease keepAlive(long id, long index) {
    KvLease lease = leases.get(id);
    if (lease == null) {
      return null;
    }
    KvLease kept = new KvLease(id, lease.ttlSeconds(), index);
    leases.put(id, kept);
    return kept;
  }

  /** The number of keys attached to {@code id}. */
  int keyCount(long id) {
    TreeSet<String> attached = keys.get(id);
    return attached == null ? 0 : attached.size();
  }

  void attach(String key, long lease) {
    if (lease != 0) {
      keys.get(lease).add(key);
    }
  }

  void detach(String key, long lease) {
    if (lease != 0) {
      TreeSet<String> attached = keys.get(lease);
      if (attached != null) {
        attached.remove(key);
      }
    }
  }

  /** Removes lease {@code id} and returns its keys, in key order. */
  List<String> remove(long id) {
    leases.remove(id);
    TreeSet<String> attached = keys.remove(id);
    return attached == null ? List.of() : new ArrayList<>(attached);
  }

  /** Every lease, by id. Any thread. */
  List<KvLease> all() {
    return List.copyOf(leases.values());
  }

  /**
   * Replaces everything with {@code restored} and the keys attached to them, every one of which
   * names a lease among them (the snapshot format checks it).
   */
  void replaceAll(List<KvLease> restored, Map<String, Long> keyLeases) {
    Map<Long, TreeSet<String>> newKeys = new HashMap<>();
    for (KvLease lease : restored) {
      newKeys.put(lease.id(), new TreeSet<>());
    }
    for (Map.Entry<String, Long> e : keyLeases.entrySet()) {
      TreeSet<String> attached = newKeys.get(e.getValue());
      if (attached == null) {
        throw new IllegalStateException("key '" + e.getKey() + "' is attached to lease " + e.getValue() + ", which is not restored");
      }
      attached.add(e.getKey());
    }
    leases.clear();
    for (KvLease lease : restored) {
      leases.put(lease.id(), lease);
    }
    keys.clear();
    keys.putAll(newKeys);
  }
}
