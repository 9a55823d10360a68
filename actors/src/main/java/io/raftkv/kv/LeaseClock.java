package io.raftkv.kv;

import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvLease;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When leases run out, as one node sees it: each node observes its state machine's leases now and
 * then and notes when it first saw each lease at its current refresh index (the entry that granted
 * it or last kept it alive); a lease runs out {@code ttl} after that. The leader proposes a
 * {@link KvCommand.LeaseExpire} naming that refresh index, which the state machine applies only
 * if no keep-alive came since. No I/O and no clock of its own: the caller gives the time, in any
 * unit (nanoseconds on a node, ticks in the simulator).
 *
 * <p>What a leader change grants: every node observes all the time, not only the leader, so a new
 * leader counts each lease from when it saw the last keep-alive applied, a little after the old
 * leader did (its apply lag plus one observation interval). It neither resets a lease to a full
 * TTL at election nor shortens it. A node that restarted counts from when it replayed the last
 * keep-alive, so a lease may then live up to one TTL longer than its holder's last keep-alive
 * asked; fencing tokens (docs/API.md, "Leases and locks") make that safe.
 */
public final class LeaseClock {

  private record Seen(long refreshIndex, long since, long proposedAt) {}

  private final long unitsPerSecond;
  private final long retryAfter;
  private final Map<Long, Seen> seen = new HashMap<>();

  /**
   * @param unitsPerSecond the time unit: 1_000_000_000 for nanoseconds
   * @param retryAfter how long after proposing an expiry to propose it again if the lease is
   *     still there (the proposal may have been lost with a leader)
   */
  public LeaseClock(long unitsPerSecond, long retryAfter) {
    if (unitsPerSecond < 1 || retryAfter < 1) {
      throw new IllegalArgumentException("unitsPerSecond and retryAfter must be >= 1");
    }
    this.unitsPerSecond = unitsPerSecond;
    this.retryAfter = retryAfter;
  }

  /**
   * Notes the leases as they are at {@code now}, and returns the expiries to propose for those
   * that ran out (each at most once per {@code retryAfter}). Leases no longer there are forgotten.
   */
  public List<KvCommand.LeaseExpire> observe(List<KvLease> leases, long now) {
    List<KvCommand.LeaseExpire> due = new ArrayList<>();
    Set<Long> alive = new HashSet<>();
    for (KvLease lease : leases) {
      alive.add(lease.id());
      Seen before = seen.get(lease.id());
      if (before == null || before.refreshIndex() != lease.refreshIndex()) {
        seen.put(lease.id(), new Seen(lease.refreshIndex(), now, Long.MIN_VALUE));
        continue;
      }
      boolean ranOut = now - before.since() >= lease.ttlSeconds() * unitsPerSecond;
      boolean proposable = before.proposedAt() == Long.MIN_VALUE || now - before.proposedAt() >= retryAfter;
      if (ranOut && proposable) {
        due.add(new KvCommand.LeaseExpire(lease.id(), lease.refreshIndex()));
        seen.put(lease.id(), new Seen(before.refreshIndex(), before.since(), now));
      }
    }
    seen.keySet().retainAll(alive);
    return due;
  }

  /** How long {@code lease} has left at {@code now}, as this node counts; its TTL when not yet observed. */
  public long remaining(KvLease lease, long now) {
    Seen s = seen.get(lease.id());
    if (s == null || s.refreshIndex() != lease.refreshIndex()) {
      return lease.ttlSeconds() * unitsPerSecond;
    }
    return Math.max(0, lease.ttlSeconds() * unitsPerSecond - (now - s.since()));
  }
}
