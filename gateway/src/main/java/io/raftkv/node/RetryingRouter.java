package io.raftkv.node;

import io.raftkv.kv.KvApi;
import io.raftkv.kv.KvResponse;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.RequestId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Scheduler;

/**
 * The gateway's way to the Raft group: each request goes to the leader ({@link LeaderRouter}) and,
 * when no leader answered (none elected yet, a failover, a full queue), goes again after a short
 * backoff, for as long as a whole attempt fits before the request's deadline. A retried write keeps
 * its {@link RequestId}: the caller's, from the session headers, or one of the gateway's own
 * sessions ({@link SessionPool}), so a write tried twice is applied once.
 */
public final class RetryingRouter {
  /** The first pause before a retry; it doubles up to {@link #BACKOFF_MAX}. */
  static final Duration BACKOFF_FIRST = Duration.ofMillis(25);
  static final Duration BACKOFF_MAX = Duration.ofMillis(400);

  private final LeaderRouter router;
  private final SessionPool sessions;
  private final Scheduler scheduler;
  private final Duration requestTimeout;
  private final Duration attemptTimeout;

  public RetryingRouter(LeaderRouter router, Scheduler scheduler, GatewaySettings settings) {
    this.router = router;
    this.scheduler = scheduler;
    this.requestTimeout = settings.requestTimeout();
    this.attemptTimeout = settings.attemptTimeout();
    this.sessions = new SessionPool(settings.sessionsMax(), () -> router.route(KvApi::registerSession));
  }

  /** A read: tried again while no leader answers. */
  public CompletionStage<KvResponse> read(Function<KvApi, CompletionStage<KvResponse>> call) {
    return untilAnswered(() -> router.route(call), deadline(), 0);
  }

  /** A read at one node only ({@code api}; a serializable read at this one): tried again while it is busy. */
  public CompletionStage<KvResponse> readHere(KvApi api, Function<KvApi, CompletionStage<KvResponse>> call) {
    return untilAnswered(() -> call.apply(api), deadline(), 0);
  }

  /**
   * A write with the id {@code given} by the caller, or, when it is {@link RequestId#UNTRACKED}, with
   * the next id of a session of the gateway's own.
   */
  public CompletionStage<KvResponse> write(RequestId given, Function<RequestId, Function<KvApi, CompletionStage<KvResponse>>> call) {
    long deadline = deadline();
    if (!given.equals(RequestId.UNTRACKED)) return untilAnswered(() -> router.route(call.apply(given)), deadline, 0);
    return inGatewaySession(call, deadline, 0);
  }

  /** Opens a session for a caller; tried once, since a retry would open a second one. */
  public CompletionStage<KvResponse> registerSession() {
    return router.route(KvApi::registerSession);
  }

  /** The gateway's sessions open now. */
  public int gatewaySessions() {
    return sessions.open();
  }

  private CompletionStage<KvResponse> inGatewaySession(Function<RequestId, Function<KvApi, CompletionStage<KvResponse>>> call, long deadline,
      int attempt) {
    return sessions.borrow().thenCompose(loan -> {
      if (loan.session() == null) {
        KvResponse refusal = loan.refusal();
        if (!retryable(refusal) || !attemptFits(deadline, backoff(attempt))) return CompletableFuture.completedFuture(refusal);
        return after(backoff(attempt)).thenCompose(v -> inGatewaySession(call, deadline, attempt + 1));
      }
      SessionPool.Session session = loan.session();
      Function<KvApi, CompletionStage<KvResponse>> write = call.apply(session.next());
      return untilAnswered(() -> router.route(write), deadline, attempt).thenCompose(r -> {
        if (r instanceof KvResponse.Done d && d.result() instanceof KvResult.SessionExpired) {
          sessions.discard(session); // not applied: start over in a new session
          return attemptFits(deadline, Duration.ZERO) ? inGatewaySession(call, deadline, attempt + 1) : CompletableFuture.completedFuture(r);
        }
        sessions.giveBack(session);
        return CompletableFuture.completedFuture(r);
      });
    });
  }

  private CompletionStage<KvResponse> untilAnswered(Supplier<CompletionStage<KvResponse>> call, long deadline, int attempt) {
    return call.get().thenCompose(r -> {
      Duration pause = backoff(attempt);
      if (!retryable(r) || !attemptFits(deadline, pause)) return CompletableFuture.completedFuture(r);
      return after(pause).thenCompose(v -> untilAnswered(call, deadline, attempt + 1));
    });
  }

  /** No leader answered, or it could not take the request now; nothing is known to be applied, or the id makes a retry safe. */
  static boolean retryable(KvResponse r) {
    return r instanceof KvResponse.NotLeader || r instanceof KvResponse.Busy || r instanceof KvResponse.Timeout
        || r instanceof KvResponse.Unknown;
  }

  static Duration backoff(int attempt) {
    long ms = BACKOFF_FIRST.toMillis() << Math.min(attempt, 10);
    return Duration.ofMillis(Math.min(ms, BACKOFF_MAX.toMillis()));
  }

  private long deadline() {
    return System.nanoTime() + requestTimeout.toNanos();
  }

  /** Whether a pause and then a whole attempt end before the request's deadline. */
  private boolean attemptFits(long deadline, Duration pause) {
    return System.nanoTime() + pause.toNanos() + attemptTimeout.toNanos() <= deadline;
  }

  private CompletionStage<Void> after(Duration pause) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    scheduler.scheduleOnce(pause, () -> done.complete(null), KvApi.ON_SCHEDULER_THREAD);
    return done;
  }
}
