package io.raftkv.kv;

import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.statemachine.StateMachineResult;
import io.raftkv.raft.ClientInbox;
import io.raftkv.raft.ClientRequest;
import io.raftkv.raft.RaftNode;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import org.apache.pekko.dispatch.ExecutionContexts;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The key-value operations as calls on one Raft node: what the HTTP gateway and the Java client
 * use. Each call checks the limits before anything reaches the log, sends one request to the node
 * and completes with a {@link KvResponse} within its deadline. Writes carry a {@link RequestId}
 * (a session and a sequence number) so that retrying them is safe; reads are linearizable
 * (ReadIndex, at the leader) or serializable (any node, possibly stale).
 */
public final class KvApi {
  /** Which guarantee a read asks for. */
  public enum Consistency { LINEARIZABLE, SERIALIZABLE }

  /** For tasks that only complete a future: they run on the scheduler's thread, no hand-off. */
  public static final scala.concurrent.ExecutionContext ON_SCHEDULER_THREAD = ExecutionContexts.fromExecutor(Runnable::run);

  private final ActorRef<RaftNode.Command> node; // asked once per request, or null when requests go through the inbox
  private final ClientInbox inbox; // this process's node, batched; or null
  private final Scheduler scheduler;
  private final KvLimits limits;
  private final Duration deadline;

  /** @param deadline how long a call waits for the node's answer before it completes with {@link KvResponse.Timeout} */
  public KvApi(ActorRef<RaftNode.Command> node, Scheduler scheduler, KvLimits limits, Duration deadline) {
    this(node, null, scheduler, limits, deadline);
  }

  /**
   * Calls on the node in this process through its {@link ClientInbox}: requests are handed over
   * in batches instead of one message each (the gateway's hot path), and answered by callback.
   * An offer to a full inbox completes at once with {@link KvResponse.Busy}.
   */
  public static KvApi overInbox(ClientInbox inbox, Scheduler scheduler, KvLimits limits, Duration deadline) {
    return new KvApi(null, inbox, scheduler, limits, deadline);
  }

  private KvApi(ActorRef<RaftNode.Command> node, ClientInbox inbox, Scheduler scheduler, KvLimits limits, Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("deadline must be positive");
    if ((node == null) == (inbox == null)) throw new IllegalArgumentException("give a node ref or an inbox");
    this.node = node;
    this.inbox = inbox;
    this.scheduler = scheduler;
    this.limits = limits;
    this.deadline = deadline;
  }

  public CompletionStage<KvResponse> get(String key, Consistency consistency) {
    return read(new KvCommand.Get(key), consistency);
  }

  /**
   * The value {@code key} had at {@code revision} ({@link KvCommand#NEWEST}: now). A revision the
   * node has not applied yet is answered {@link KvResult.FutureRevision}, one compacted away
   * {@link KvResult.Compacted}.
   */
  public CompletionStage<KvResponse> get(String key, long revision, Consistency consistency) {
    KvCommand.Get get;
    try {
      get = new KvCommand.Get(key, revision);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new KvResponse.Invalid(e.getMessage()));
    }
    return read(get, consistency);
  }

  public CompletionStage<KvResponse> scan(String prefix, int limitEntries, Consistency consistency) {
    return read(new KvCommand.Scan(prefix, limitEntries), consistency);
  }

  /**
   * The page of a scan after key {@code startAfter} (the last key of the page before), or the first
   * page when it is null. A page ends at {@code limitEntries} or at the node's scan byte budget,
   * whichever comes first, and says so ({@code truncated}).
   */
  public CompletionStage<KvResponse> scan(String prefix, String startAfter, int limitEntries, Consistency consistency) {
    return scan(prefix, startAfter, limitEntries, KvCommand.NEWEST, consistency);
  }

  /** A page of a scan as of {@code revision} ({@link KvCommand#NEWEST}: now). */
  public CompletionStage<KvResponse> scan(String prefix, String startAfter, int limitEntries, long revision, Consistency consistency) {
    KvCommand.Read page;
    try {
      page = startAfter == null
          ? new KvCommand.Scan(prefix, limitEntries, revision)
          : new KvCommand.ScanAfter(prefix, startAfter, limitEntries, revision);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new KvResponse.Invalid(e.getMessage()));
    }
    return read(page, consistency);
  }

  public CompletionStage<KvResponse> put(RequestId id, String key, byte[] value) {
    return write(new KvCommand.Put(id, key, value));
  }

  public CompletionStage<KvResponse> append(RequestId id, String key, byte[] value) {
    return write(new KvCommand.Append(id, key, value));
  }

  public CompletionStage<KvResponse> delete(RequestId id, String key) {
    return write(new KvCommand.Delete(id, key));
  }

  /** Sets {@code key} to {@code value} if it holds {@code expected} ({@code null}: only if missing). */
  public CompletionStage<KvResponse> compareAndSet(RequestId id, String key, byte[] expected, byte[] value) {
    return write(new KvCommand.CompareAndSet(id, key, expected, value));
  }

  /** Applies {@code txn}'s comparisons and then one of its branches, atomically, at one revision. */
  public CompletionStage<KvResponse> txn(KvCommand.Txn txn) {
    return write(txn);
  }

  /** Drops history older than {@code revision}, on every replica (through the log). */
  public CompletionStage<KvResponse> compact(long revision) {
    KvCommand.Compact compact;
    try {
      compact = new KvCommand.Compact(revision);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new KvResponse.Invalid(e.getMessage()));
    }
    return submit(ClientRequest.Kind.WRITE, compact);
  }

  /** Sets {@code key} to {@code value}, attached to {@code lease} (0: none). */
  public CompletionStage<KvResponse> put(RequestId id, String key, byte[] value, long lease) {
    KvCommand.Put put;
    try {
      put = new KvCommand.Put(id, key, value, lease);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new KvResponse.Invalid(e.getMessage()));
    }
    return write(put);
  }

  /** Grants a lease of {@code ttlSeconds}; the answer's {@link KvResult.LeaseGranted} carries its id. */
  public CompletionStage<KvResponse> grantLease(RequestId id, long ttlSeconds) {
    KvCommand.LeaseGrant grant;
    try {
      grant = new KvCommand.LeaseGrant(id, ttlSeconds);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new KvResponse.Invalid(e.getMessage()));
    }
    return write(grant);
  }

  /** Keeps a lease alive, revokes it, or (the leader's expiry check) expires it. */
  public CompletionStage<KvResponse> lease(KvCommand.LeaseCommand command) {
    return submit(ClientRequest.Kind.WRITE, command);
  }

  /** Opens a client session; the answer's {@link KvResult.SessionRegistered} carries the client id. */
  public CompletionStage<KvResponse> registerSession() {
    return submit(ClientRequest.Kind.WRITE, new KvCommand.RegisterSession());
  }

  private CompletionStage<KvResponse> write(KvCommand command) {
    Optional<KvResponse> invalid = validate(command);
    if (invalid.isPresent()) return CompletableFuture.completedFuture(invalid.get());
    return submit(ClientRequest.Kind.WRITE, command);
  }

  private CompletionStage<KvResponse> read(KvCommand.Read query, Consistency consistency) {
    Optional<KvResponse> invalid = validate(query);
    if (invalid.isPresent()) return CompletableFuture.completedFuture(invalid.get());
    CompletionStage<KvResponse> answer =
        submit(consistency == Consistency.LINEARIZABLE ? ClientRequest.Kind.READ : ClientRequest.Kind.READ_LOCAL, query);
    return query.revision() == KvCommand.NEWEST ? answer : answer.thenApply(r -> notAhead(r, query.revision()));
  }

  /**
   * A read at a revision after the one the node had applied when it read: the state machine reads
   * the newest state then, which is not the state at that revision (later writes may come).
   */
  private static KvResponse notAhead(KvResponse response, long revision) {
    if (response instanceof KvResponse.Done d && revision > d.revision()) {
      return new KvResponse.Done(new KvResult.FutureRevision(revision, d.revision()), d.revision());
    }
    return response;
  }

  private CompletionStage<KvResponse> submit(ClientRequest.Kind kind, StateMachineCommand command) {
    if (inbox != null) return offer(kind, command);
    return ask(replyTo -> switch (kind) {
      case WRITE -> new RaftNode.Propose(command, replyTo);
      case READ -> new RaftNode.Read(command, replyTo);
      case READ_LOCAL -> new RaftNode.ReadLocal(command, replyTo);
    });
  }

  private Optional<KvResponse> validate(KvCommand command) {
    try {
      return limits.validate(command).map(e -> new KvResponse.Invalid(e.message()));
    } catch (IllegalArgumentException e) {
      return Optional.of(new KvResponse.Invalid(e.getMessage()));
    }
  }

  private CompletionStage<KvResponse> offer(ClientRequest.Kind kind, StateMachineCommand command) {
    CompletableFuture<KvResponse> answer = new CompletableFuture<>();
    if (!inbox.offer(new ClientRequest(kind, command, reply -> answer.complete(toResponse(reply))))) {
      return CompletableFuture.completedFuture(new KvResponse.Busy("the node's client inbox is full (requests or bytes)"));
    }
    // Not cancelled when the answer comes first: a completed future ignores it, and the scheduler
    // holds at most (requests per second x deadline) such tasks, cheaper than a cancel per request.
    scheduler.scheduleOnce(deadline, () -> answer.complete(new KvResponse.Timeout(deadline)), ON_SCHEDULER_THREAD);
    return answer;
  }

  private CompletionStage<KvResponse> ask(org.apache.pekko.japi.function.Function<ActorRef<RaftNode.ClientReply>, RaftNode.Command> request) {
    return AskPattern.<RaftNode.Command, RaftNode.ClientReply>ask(node, request, deadline, scheduler)
        .handle((reply, error) -> {
          if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TimeoutException || error instanceof TimeoutException) return new KvResponse.Timeout(deadline);
            return new KvResponse.Unknown(cause.toString());
          }
          return toResponse(reply);
        });
  }

  static KvResponse toResponse(RaftNode.ClientReply reply) {
    if (reply instanceof RaftNode.Applied a) return done(a.result(), a.index());
    if (reply instanceof RaftNode.ReadDone d) return done(d.result(), d.appliedIndex());
    if (reply instanceof RaftNode.NotLeader n) return new KvResponse.NotLeader(n.leaderHint());
    if (reply instanceof RaftNode.Refused r) return new KvResponse.Busy(r.reason());
    if (reply instanceof RaftNode.Unknown u) return new KvResponse.Unknown(u.reason());
    throw new IllegalStateException("unexpected reply " + reply);
  }

  private static KvResponse done(StateMachineResult result, long revision) {
    if (result instanceof KvResult.LimitExceeded e) return new KvResponse.Invalid(e.message());
    return new KvResponse.Done((KvResult) result, revision);
  }
}
