package io.raftkv.kv.sim;

import io.raftkv.persistence.kv.KvEvent;
import io.raftkv.persistence.kv.KvStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A watcher of every key that resumes on a random live node at each poll, from the revision after
 * the last it saw, as the Java client resumes on another node when one fails; and the check that
 * makes it mean something: whenever it reads revisions from one node, every other live node whose
 * history holds the same range must list exactly the same changes there (no revision missing,
 * added, or different), every two live nodes list the same changes over all the history both
 * still hold, and the watcher's stream never goes back or repeats. A watch resumed on any node
 * then misses and repeats nothing. History compacted past the watcher (the simulator keeps 8
 * revisions) starts a new segment from the node's current revision, as a client reads again.
 */
public final class WatchAgreement {
  /** The most revisions one poll reads. */
  private static final int REVISIONS_PER_POLL = 16;

  private final KvCluster kv;
  private final Random random;
  private long next = 1;
  private long lastSeen;
  private long revisionsSeen;
  private long rangesCompared;
  private long segments = 1;

  public WatchAgreement(KvCluster kv, long seed) {
    this.kv = kv;
    this.random = new Random(seed);
  }

  /** One poll from a random live node; fails on any disagreement. */
  public void poll() {
    List<Integer> up = new ArrayList<>();
    for (int id : kv.all()) {
      if (kv.sim().isUp(id) && kv.machine(id) != null) up.add(id);
    }
    if (up.isEmpty()) return;
    int from = up.get(random.nextInt(up.size()));
    KvStateMachine machine = kv.machine(from);
    Optional<List<List<KvEvent>>> read = machine.changesFrom(next, REVISIONS_PER_POLL);
    if (read.isEmpty()) { // compacted past the watcher: a new segment from this node's present
      next = Math.max(next, machine.lastAppliedIndex() + 1);
      segments++;
      return;
    }
    List<List<KvEvent>> revisions = read.get();
    if (revisions.isEmpty()) return;
    long last = revisions.get(revisions.size() - 1).get(0).modRevision();
    for (int other : up) {
      KvStateMachine m = kv.machine(other);
      if (other == from || m.lastAppliedIndex() < last || m.compactedRevision() >= next) continue; // it lacks the range
      Optional<List<List<KvEvent>>> theirs = m.changesFrom(next, revisions.size());
      if (!theirs.equals(read)) {
        throw new AssertionError("nodes " + from + " and " + other + " list different changes from revision " + next + ": "
            + read + " against " + theirs);
      }
      rangesCompared++;
    }
    agreeOnRetainedHistory(up);
    for (List<KvEvent> revision : revisions) {
      long r = revision.get(0).modRevision();
      if (r <= lastSeen) {
        throw new AssertionError("the watch went back or repeated: revision " + r + " after " + lastSeen);
      }
      lastSeen = r;
      revisionsSeen++;
    }
    next = last + 1;
  }

  /**
   * Every pair of live nodes lists the same changes over the range both still hold: a watch
   * resumed on either, from anywhere in it, reads the same stream.
   */
  private void agreeOnRetainedHistory(List<Integer> up) {
    for (int i = 0; i < up.size(); i++) {
      for (int j = i + 1; j < up.size(); j++) {
        KvStateMachine a = kv.machine(up.get(i));
        KvStateMachine b = kv.machine(up.get(j));
        long from = Math.max(a.compactedRevision(), b.compactedRevision()) + 1;
        long to = Math.min(a.lastAppliedIndex(), b.lastAppliedIndex());
        if (from > to) continue;
        List<List<KvEvent>> inA = upTo(a.changesFrom(from, Integer.MAX_VALUE), to);
        List<List<KvEvent>> inB = upTo(b.changesFrom(from, Integer.MAX_VALUE), to);
        if (inA == null || inB == null) continue; // compacted meanwhile (not in the simulator: one thread)
        if (!inA.equals(inB)) {
          throw new AssertionError("nodes " + up.get(i) + " and " + up.get(j) + " hold different changes in revisions " + from + ".." + to
              + ": " + inA + " against " + inB);
        }
        rangesCompared++;
      }
    }
  }

  private static List<List<KvEvent>> upTo(Optional<List<List<KvEvent>>> changes, long to) {
    return changes.map(list -> list.stream().filter(r -> r.get(0).modRevision() <= to).toList()).orElse(null);
  }

  public long revisionsSeen() { return revisionsSeen; }
  public long rangesCompared() { return rangesCompared; }
  public long segments() { return segments; }
}
