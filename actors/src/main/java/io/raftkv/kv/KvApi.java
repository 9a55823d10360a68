package io.raftkv.kv;

import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.statemachine.StateMachineResult;
import io.raftkv.raft.RaftNode;
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

  private final ActorRef<RaftNode.Command> node;
  private final Scheduler scheduler;
  private final KvLimits limits;
  private final Duration deadline;

  /** @param deadline how long a call waits for the node's answer before it completes with {@link KvResponse.Timeout} */
  public KvApi(ActorRef<RaftNode.Command> node, Scheduler scheduler, KvLimits limits, Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("deadline must be positive");
    this.node = node;
    this.scheduler = scheduler;
    this.limits = limits;
    this.deadline = deadline;
  }

  public CompletionStage<KvResponse> get(String key, Consistency consistency) {
    return read(new KvCommand.Get(key), consistency);
  }

  public CompletionStage<KvResponse> scan(String prefix, int limitEntries, Consistency consistency) {
    return read(new KvCommand.Scan(prefix, limitEntries), consistency);
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

  /** Opens a client session; the answer's {@link KvResult.SessionRegistered} carries the client id. */
  public CompletionStage<KvResponse> registerSession() {
    return ask(replyTo -> new RaftNode.Propose(new KvCommand.RegisterSession(), replyTo));
  }

  private CompletionStage<KvResponse> write(KvCommand command) {
    Optional<KvResponse> invalid = validate(command);
    if (invalid.isPresent()) return CompletableFuture.completedFuture(invalid.get());
    return ask(replyTo -> new RaftNode.Propose(command, replyTo));
  }

  private CompletionStage<KvResponse> read(KvCommand.Read query, Consistency consistency) {
    Optional<KvResponse> invalid = validate(query);
    if (invalid.isPresent()) return CompletableFuture.completedFuture(invalid.get());
    return ask(replyTo -> consistency == Consistency.LINEARIZABLE ? new RaftNode.Read(query, replyTo) : new RaftNode.ReadLocal(query, replyTo));
  }

  private Optional<KvResponse> validate(KvCommand command) {
    try {
      return limits.validate(command).map(e -> new KvResponse.Invalid(e.message()));
    } catch (IllegalArgumentException e) {
      return Optional.of(new KvResponse.Invalid(e.getMessage()));
    }
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
    if (reply instanceof RaftNode.Applied a) return done(a.result());
    if (reply instanceof RaftNode.ReadDone d) return done(d.result());
    if (reply instanceof RaftNode.NotLeader n) return new KvResponse.NotLeader(n.leaderHint());
    if (reply instanceof RaftNode.Refused r) return new KvResponse.Busy(r.reason());
    if (reply instanceof RaftNode.Unknown u) return new KvResponse.Unknown(u.reason());
    throw new IllegalStateException("unexpected reply " + reply);
  }

  private static KvResponse done(StateMachineResult result) {
    if (result instanceof KvResult.LimitExceeded e) return new KvResponse.Invalid(e.message());
    return new KvResponse.Done((KvResult) result);
  }
}
