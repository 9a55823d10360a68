package io.raftkv.kv.sim;

import io.raftkv.kv.LeaseClock;
import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvLease;
import io.raftkv.persistence.kv.KvStateMachine;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.sim.LabCluster;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;

/**
 * Leases in the simulator, with ticks as time: every live node runs a {@link LeaseClock} over its
 * own state machine and proposes the expiries it finds due, as the node's {@code LeaseExpiry} does
 * (a restarted node starts counting afresh); a client grants leases and keeps some alive for a
 * while. The check, at every step: no lease ends sooner than its TTL after the earliest moment any
 * node had applied the keep-alive (or grant) it ended from, within the observation step. After the
 * faults, every lease no longer kept alive must end.
 */
public final class SimLeases {
  /** The TTL of the leases granted: 2 s, the shortest a lease may have. */
  public static final long TTL_SECONDS = 2;
  private static final long TICKS_PER_SECOND = 1000 / LabCluster.TICK_MS;
  private static final long TTL_TICKS = TTL_SECONDS * TICKS_PER_SECOND;

  private final KvCluster kv;
  private final Random random;
  private final TestInbox<RaftNode.ClientReply> ignored = TestInbox.create("leases");
  private final Map<Integer, LeaseClock> clocks = new HashMap<>();
  private final Map<Integer, KvStateMachine> clockOf = new HashMap<>();
  /** (lease id, refresh index) to the earliest tick any node was seen to hold it. */
  private final Map<List<Long>, Long> firstSeen = new HashMap<>();
  /** Lease id to its last refresh index seen. */
  private final Map<Long, Long> lastRefresh = new HashMap<>();
  private final Set<Long> ended = new HashSet<>();
  /** Leases whose holder keeps them alive, and when it sends the next keep-alive. */
  private final Map<Long, Long> keptAlive = new HashMap<>();
  private long expiries;
  private long shortestEndTicks = Long.MAX_VALUE;

  public SimLeases(KvCluster kv, long seed) {
    this.kv = kv;
    this.random = new Random(seed);
  }

  /** One step: observe, check, propose what is due, and the client's grants and keep-alives. */
  public void step(boolean clientActive) {
    long now = kv.sim().now();
    Set<Long> aliveSomewhere = new HashSet<>();
    for (int id : kv.all()) {
      KvStateMachine machine = kv.machine(id);
      if (!kv.sim().isUp(id) || machine == null) continue;
      if (clockOf.get(id) != machine) { // (re)started: a fresh clock, as a restarted node has
        clocks.put(id, new LeaseClock(TICKS_PER_SECOND, TICKS_PER_SECOND));
        clockOf.put(id, machine);
      }
      List<KvLease> leases = machine.leases();
      for (KvLease lease : leases) {
        aliveSomewhere.add(lease.id());
        firstSeen.merge(List.of(lease.id(), lease.refreshIndex()), now, Math::min);
        lastRefresh.merge(lease.id(), lease.refreshIndex(), Math::max);
      }
      for (KvCommand.LeaseExpire expire : clocks.get(id).observe(leases, now)) {
        kv.sim().request(id, new RaftNode.Propose(expire, ignored.getRef()));
      }
    }
    // A lease some node no longer holds ended there: by expiry (nothing here revokes).
    for (int id : kv.all()) {
      KvStateMachine machine = kv.machine(id);
      if (!kv.sim().isUp(id) || machine == null) continue;
      Set<Long> held = new HashSet<>();
      machine.leases().forEach(l -> held.add(l.id()));
      for (Map.Entry<Long, Long> e : lastRefresh.entrySet()) {
        long lease = e.getKey();
        if (held.contains(lease) || ended.contains(lease) || machine.lastAppliedIndex() < lease) continue;
        // Node id applied past the grant and holds no such lease: it ended, from its last refresh.
        Long since = firstSeen.get(List.of(lease, e.getValue()));
        long lived = now - since;
        shortestEndTicks = Math.min(shortestEndTicks, lived);
        if (lived < TTL_TICKS - 2 * 5) { // two observation steps of slack
          throw new AssertionError("lease " + lease + " ended " + lived + " ticks after its refresh at index " + e.getValue()
              + " was first seen applied, under its TTL of " + TTL_TICKS + " ticks");
        }
        ended.add(lease);
        expiries++;
      }
    }
    if (clientActive) {
      if (random.nextInt(40) == 0) {
        propose(new KvCommand.LeaseGrant(RequestId.UNTRACKED, TTL_SECONDS));
      }
      for (long lease : lastRefresh.keySet()) {
        if (ended.contains(lease)) {
          keptAlive.remove(lease);
        } else if (!keptAlive.containsKey(lease)) {
          if (random.nextInt(3) == 0) keptAlive.put(lease, now); // a holder that keeps it alive
          else keptAlive.put(lease, Long.MAX_VALUE); // one that never does
        }
      }
      for (Map.Entry<Long, Long> e : keptAlive.entrySet()) {
        if (now < e.getValue()) continue;
        propose(new KvCommand.LeaseKeepAlive(e.getKey()));
        // Often in good time, sometimes late, right at the TTL: those race with the leader's expiry.
        long next = random.nextInt(4) == 0 ? TTL_TICKS - 20 + random.nextInt(40) : TTL_TICKS / 4 + random.nextInt((int) TTL_TICKS / 4);
        e.setValue(random.nextInt(8) == 0 ? Long.MAX_VALUE : now + next); // and now and then its holder stops
      }
    }
  }

  /** To every live node: only the leader takes it; a keep-alive or grant applied twice is harmless. */
  private void propose(KvCommand command) {
    for (int id : kv.all()) {
      if (kv.sim().isUp(id)) kv.sim().request(id, new RaftNode.Propose(command, ignored.getRef()));
    }
  }

  /** The leases granted and seen. */
  public int leasesSeen() { return lastRefresh.size(); }
  public long expiries() { return expiries; }
  public long shortestEndTicks() { return shortestEndTicks; }
  /** Leases still held by some live node. */
  public long alive() {
    Set<Long> alive = new HashSet<>();
    for (int id : kv.all()) {
      if (kv.sim().isUp(id) && kv.machine(id) != null) kv.machine(id).leases().forEach(l -> alive.add(l.id()));
    }
    return alive.size();
  }
}
