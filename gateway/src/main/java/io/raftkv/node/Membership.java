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
 * this node's Raft node first and follows "not the leader" hints, at most
 * {@link LeaderRouter#ATTEMPTS_MAX} hops, each bounded by {@code attemptTimeout}.
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

  private final int selfId;
  private final ActorRef<RaftNode.Command> self;
  private final MemberDirectory directory;
  private final Scheduler scheduler;
  private final Duration attemptTimeout;

  public Membership(int selfId, ActorRef<RaftNode.Command> self, MemberDirectory directory, Scheduler scheduler, Duration attemptTimeout) {
    this.selfId = selfId;
    this.self = self;
    this.directory = directory;
    this.scheduler = scheduler;
    this.attemptTimeout = attemptTimeout;
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

  /** Asks the leader for {@code change}. */
  public CompletionStage<Outcome> change(ConfigurationChange change) {
    return attempt(change, selfId, 1);
  }

  private CompletionStage<Outcome> attempt(ConfigurationChange change, int target, int attempt) {
    ActorRef<RaftNode.Command> node = raft(target);
    if (node == null) return CompletableFuture.completedFuture(new NoLeader("node " + target + " is not known here"));
    return AskPattern.<RaftNode.Command, RaftNode.ClientReply>ask(node, replyTo -> new RaftNode.ChangeMembership(change, replyTo),
            attemptTimeout, scheduler)
        .handle((reply, error) -> reply)
        .thenCompose(reply -> {
          if (reply instanceof RaftNode.Applied a) return CompletableFuture.completedFuture(new Changed(a.index()));
          if (reply instanceof RaftNode.Refused r) return CompletableFuture.completedFuture(new Refused(r.reason()));
          if (reply instanceof RaftNode.NotLeader n && n.leaderHint() != 0 && n.leaderHint() != target && attempt < LeaderRouter.ATTEMPTS_MAX) {
            return attempt(change, n.leaderHint(), attempt + 1);
          }
          if (reply instanceof RaftNode.Unknown u) {
            return CompletableFuture.completedFuture(new NoLeader("leadership changed before the change committed; check the members: " + u.reason()));
          }
          return CompletableFuture.completedFuture(new NoLeader(reply == null
              ? "node " + target + " did not answer within " + attemptTimeout.toMillis() + " ms"
              : "no leader is known (an election may be under way); retry"));
        });
  }
}
