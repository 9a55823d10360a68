package io.raftkv.node;

import io.raftkv.raft.RaftNode;
import io.raftkv.raft.core.ConfigurationChange;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The cluster's members as this node serves them: the configuration seen from the leader (with
 * each member's match index), and changes asked of the leader, wherever it is. A change goes to
 * this node's Raft node first and follows "not the leader" hints; while no leader takes it (an
 * election, or a leader handing over before its own removal) it is asked again after a pause that
 * grows to {@link #PAUSE_MAX}, until {@code requestTimeout} has passed. Nothing was appended
 * while the answer is "not the leader", so asking again cannot make the change twice.
 */
public final class Membership {
  /** How a change ended. */
  public sealed interface Outcome {}

  /** Committed: the configuration from {@code index} on is in force. */
  public record Changed(long index) implements Outcome {}

  /** The leader refused it, for {@code reason}; nothing changed. */
  public record Refused(String reason) implements Outcome {}

  /** No leader answered (an election is under way, or no quorum is up); nothing is known to have changed. */
  public record NoLeader(String reason) implements Outcome {}

  /** Pauses between attempts while no leader takes the change: from {@link #PAUSE_MIN} doubling to this. */
  static final Duration PAUSE_MAX = Duration.ofMillis(500);
  static final Duration PAUSE_MIN = Duration.ofMillis(25);

  private final int selfId;
  private final ActorRef<RaftNode.Command> self;
  private final MemberDirectory directory;
  private final Scheduler scheduler;
  private final Duration attemptTimeout;
  private final Duration requestTimeout;

  /**
   * @param attemptTimeout how long one node is waited for
   * @param requestTimeout how long a change is tried in all
   */
  public Membership(int selfId, ActorRef<RaftNode.Command> self, MemberDirectory directory, Scheduler scheduler, Duration attemptTimeout,
      Duration requestTimeout) {
    this.selfId = selfId;
    this.self = self;
    this.directory = directory;
    this.scheduler = scheduler;
    this.attemptTimeout = attemptTimeout;
    this.requestTimeout = requestTimeout;
  }

  private ActorRef<RaftNode.Command> raft(int id) {
    return id == selfId ? self : directory.raft(id);
  }

  /** The members as the leader sees them (with match indexes), or as this node does when no leader answers. */
  public CompletionStage<RaftNode.Members> members() {
    return askMembers(self).thenCompose(mine -> {
      if (mine == null) return CompletableFuture.completedFuture(null);
      if (mine.leaderId() == 0 || mine.leaderId() == selfId || raft(mine.leaderId()) == null) return CompletableFuture.completedFuture(mine);
      return askMembers(raft(mine.leaderId())).thenApply(leaders -> leaders != null ? leaders : mine);
    });
  }

  private CompletionStage<RaftNode.Members> askMembers(ActorRef<RaftNode.Command> node) {
    return AskPattern.<RaftNode.Command, RaftNode.Members>ask(node, RaftNode.GetMembers::new, attemptTimeout, scheduler)
        .handle((m, error) -> error == null ? m : null);
  }

  private CompletionStage<Void> after(Duration pause) {
    if (pause.isZero()) return CompletableFuture.completedFuture(null);
    CompletableFuture<Void> done = new CompletableFuture<>();
    scheduler.scheduleOnce(pause, () -> done.complete(null), io.raftkv.kv.KvApi.ON_SCHEDULER_THREAD);
    return done;
  }

  /** Asks the leader for {@code change}. */
  public CompletionStage<Outcome> change(ConfigurationChange change) {
    return attempt(change, selfId, System.nanoTime() + requestTimeout.toNanos(), PAUSE_MIN);
  }

  private CompletionStage<Outcome> attempt(ConfigurationChange change, int target, long deadline, Duration pause) {
    ActorRef<RaftNode.Command> node = raft(target);
    if (node == null) node = self; // a hint this node cannot reach yet: ask here again
    return AskPattern.<RaftNode.Command, RaftNode.ClientReply>ask(node, replyTo -> new RaftNode.ChangeMembership(change, replyTo),
            attemptTimeout, scheduler)
        .handle((reply, error) -> reply)
        .thenCompose(reply -> {
          if (reply instanceof RaftNode.Applied a) return CompletableFuture.completedFuture(new Changed(a.index()));
          if (reply instanceof RaftNode.Refused r) return CompletableFuture.completedFuture(new Refused(r.reason()));
          if (reply instanceof RaftNode.Unknown u) {
            return CompletableFuture.completedFuture(new NoLeader("leadership changed before the change committed; check the members: " + u.reason()));
          }
          boolean timeLeft = System.nanoTime() + pause.toNanos() < deadline;
          if (reply instanceof RaftNode.NotLeader n && timeLeft) {
            int next = n.leaderHint() != 0 ? n.leaderHint() : selfId;
            Duration longer = pause.multipliedBy(2).compareTo(PAUSE_MAX) > 0 ? PAUSE_MAX : pause.multipliedBy(2);
            return after(n.leaderHint() != 0 && n.leaderHint() != target ? Duration.ZERO : pause)
                .thenCompose(v -> attempt(change, next, deadline, longer));
          }
          return CompletableFuture.completedFuture(new NoLeader(reply == null
              ? "node " + target + " did not answer within " + attemptTimeout.toMillis() + " ms"
              : "no leader took the change within " + requestTimeout.toMillis() + " ms (an election may be under way); retry"));
        });
  }
}
