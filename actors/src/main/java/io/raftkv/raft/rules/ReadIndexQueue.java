package io.raftkv.raft.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A leader's linearizable reads (dissertation §6.4, ReadIndex): reads wait in rounds; a round
 * records the commit index when it starts and is confirmed once a majority has answered a
 * heartbeat of that round, which proves the node still led when the round started. A confirmed
 * read is served once the state machine has applied up to its round's read index. One round is in
 * flight at a time and every read that arrives meanwhile joins the next one, so one heartbeat
 * exchange serves any number of reads, and no read writes the log.
 *
 * <p>Invariant: rounds along the queue are non-decreasing, and so are their read indexes.
 */
public final class ReadIndexQueue<R> {
  private record Waiting<R>(long round, R request) {}

  private final ArrayDeque<Waiting<R>> reads = new ArrayDeque<>();
  private final TreeMap<Long, Long> readIndexOfRound = new TreeMap<>();
  private final int readsMax;
  private long openRound = 1; // reads arriving now join this round
  private long inFlightRound; // started and not yet confirmed, or 0
  private long confirmedRound; // every round up to this one is confirmed

  /** @param readsMax reads waiting at most; beyond it {@link #add} refuses */
  public ReadIndexQueue(int readsMax) {
    if (readsMax < 1) throw new IllegalArgumentException("readsMax must be >= 1");
    this.readsMax = readsMax;
  }

  /** Queues a read for the open round; false when the queue is full. */
  public boolean add(R request) {
    if (reads.size() >= readsMax) return false;
    reads.addLast(new Waiting<>(openRound, request));
    return true;
  }

  /**
   * Starts the open round if it has reads and no round is in flight. {@code commitIndex} must be
   * the leader's commit index and the leader must have committed an entry of its own term
   * (before that, its commit index may lag what an earlier leader committed). Returns the round
   * started, or 0.
   */
  public long maybeStartRound(long commitIndex) {
    if (inFlightRound != 0 || reads.isEmpty() || reads.peekLast().round() != openRound) return 0;
    inFlightRound = openRound++;
    readIndexOfRound.put(inFlightRound, commitIndex);
    return inFlightRound;
  }

  /** A majority has answered heartbeats of round {@code round} or later. */
  public void quorumReached(long round) {
    if (inFlightRound != 0 && round >= inFlightRound) {
      confirmedRound = inFlightRound;
      inFlightRound = 0;
    }
  }

  /** The confirmed reads whose read index the state machine has reached, in arrival order. */
  public List<R> takeServable(long lastApplied) {
    List<R> out = new ArrayList<>();
    while (!reads.isEmpty()) {
      Waiting<R> w = reads.peekFirst();
      if (w.round() > confirmedRound || readIndexOfRound.get(w.round()) > lastApplied) break;
      out.add(reads.pollFirst().request());
    }
    long oldest = reads.isEmpty() ? openRound : reads.peekFirst().round();
    readIndexOfRound.headMap(oldest).clear();
    return out;
  }

  /** Every waiting read, removed (leadership ended). */
  public List<R> drainAll() {
    List<R> out = new ArrayList<>();
    for (Waiting<R> w : reads) out.add(w.request());
    reads.clear();
    readIndexOfRound.clear();
    inFlightRound = 0;
    return out;
  }

  /** How many waiting reads belong to {@code round} (rounds are non-decreasing along the queue: counted from the tail). */
  public int readsInRound(long round) {
    int n = 0;
    for (var it = reads.descendingIterator(); it.hasNext(); ) {
      long r = it.next().round();
      if (r == round) n++;
      else if (r < round) break;
    }
    return n;
  }

  public long inFlightRound() { return inFlightRound; }
  public int size() { return reads.size(); }
}
