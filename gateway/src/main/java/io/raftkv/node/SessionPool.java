package io.raftkv.node;

import io.raftkv.kv.KvResponse;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.RequestId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The gateway's own client sessions (dissertation §6.3), so that a write without the caller's
 * session headers is still applied at most once while the gateway retries it. A session serves
 * one write at a time (the state machine keeps only its last sequence number), so the pool lends
 * each write in flight its own session and takes it back after; at most {@code sessionsMax} exist.
 * Idle sessions are reused last-in first-out, so a burst's extra sessions stay idle and expire in
 * the state machine while the hot ones stay alive.
 */
final class SessionPool {
  /** A session on loan to one write. Its sequence only grows; every retry of one write reuses one number. */
  static final class Session {
    final long clientId;
    private long lastSequence;

    Session(long clientId) {
      this.clientId = clientId;
    }

    /** The id of the next write through this session. */
    RequestId next() {
      return RequestId.of(clientId, ++lastSequence);
    }
  }

  private final ConcurrentLinkedDeque<Session> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger open = new AtomicInteger(); // sessions idle, on loan or being registered; <= sessionsMax
  private final int sessionsMax;
  private final Supplier<CompletionStage<KvResponse>> register;

  /** @param register opens a session in the Raft group (a RegisterSession write) */
  SessionPool(int sessionsMax, Supplier<CompletionStage<KvResponse>> register) {
    this.sessionsMax = sessionsMax;
    this.register = register;
  }

  /** A session lent to one write, or why none could be: exactly one of the two is set. */
  record Loan(Session session, KvResponse refusal) {}

  /**
   * An idle session, or a newly registered one. Refused with the registration's failure answer
   * (no leader, a timeout) when one could not be opened, or {@link KvResponse.Busy} when
   * {@code sessionsMax} are on loan.
   */
  CompletionStage<Loan> borrow() {
    Session s = idle.pollFirst();
    if (s != null) return CompletableFuture.completedFuture(new Loan(s, null));
    if (open.incrementAndGet() > sessionsMax) {
      open.decrementAndGet();
      return CompletableFuture.completedFuture(new Loan(null, new KvResponse.Busy("raftkv.http.sessions-max (" + sessionsMax + ") writes in flight")));
    }
    return register.get().thenApply(r -> {
      if (r instanceof KvResponse.Done d && d.result() instanceof KvResult.SessionRegistered reg) return new Loan(new Session(reg.clientId()), null);
      open.decrementAndGet();
      return new Loan(null, r);
    });
  }

  /** The write is over (whatever its outcome): the session serves the next one. */
  void giveBack(Session s) {
    idle.addFirst(s);
  }

  /** The state machine no longer knows this session (expired or evicted): forget it. */
  void discard(Session s) {
    open.decrementAndGet();
  }

  /** Sessions open now, idle or on loan. */
  int open() {
    return open.get();
  }
}
