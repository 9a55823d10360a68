package io.raftkv.raft;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.RaftLog;
import io.raftkv.persistence.serialization.RaftkvSerializable;
import io.raftkv.persistence.statemachine.StateMachine;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.persistence.statemachine.StateMachineResult;
import io.raftkv.raft.core.ConfigurationChange;
import io.raftkv.raft.jfr.JfrRaftObserver;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;

/**
 * One Raft cluster member: an actor whose every Raft decision is made by its
 * {@link io.raftkv.raft.core.RaftCore}, carried out by a {@link NodeShell}; each role (follower,
 * candidate, leader) is a behavior, and a role change is a behavior switch. Everything it touches is given to it: the
 * peers by node id, its durable log's ref, the state machine, a random source and its settings.
 * Time comes in as {@link Tick} messages. So the same behaviors run in a real ActorSystem (with a
 * timer that sends ticks, {@link #createWithTicks}) and in the deterministic simulator.
 */
public final class RaftNode {
  private RaftNode() {}

  /** Everything a node handles. */
  public sealed interface Command permits RaftMessage, Tick, Propose, Read, ReadLocal, DrainInbox, GetStatus, TransferLeadership, ChangeMembership, GetMembers,
      LogReplied, Replicate,
      SnapshotWritten, Own {}

  /** One unit of Raft time. */
  public enum Tick implements Command { INSTANCE }

  /** A client asks the leader to append {@code command}; answered with a {@link ClientReply}. */
  public record Propose(StateMachineCommand command, ActorRef<ClientReply> replyTo) implements Command, RaftkvSerializable {}

  /**
   * A linearizable read (dissertation §6.4, ReadIndex): only the leader answers, once a majority
   * confirmed it still leads and its state machine reached the read index; no log entry is written.
   * Answered with {@link ReadDone}, or {@link NotLeader}.
   */
  public record Read(StateMachineCommand query, ActorRef<ClientReply> replyTo) implements Command, RaftkvSerializable {}

  /** A serializable read: any node answers at once from what it has applied, which may be stale. */
  public record ReadLocal(StateMachineCommand query, ActorRef<ClientReply> replyTo) implements Command, RaftkvSerializable {}

  /**
   * Requests from clients in this process wait in {@code inbox}: take a batch of them (local only,
   * never sent over the network; sent by the inbox itself, see {@link ClientInbox}).
   */
  public record DrainInbox(ClientInbox inbox) implements Command {}

  /** Answers to a {@link Propose}, {@link Read} or {@link ReadLocal}. */
  public sealed interface ClientReply extends RaftkvSerializable {}

  /** The command was committed at {@code index} and applied with this result. */
  public record Applied(long index, long term, StateMachineResult result) implements ClientReply {}

  /** A read's answer, from the state machine as of log index {@code appliedIndex}. */
  public record ReadDone(long appliedIndex, StateMachineResult result) implements ClientReply {}

  /** This node does not lead; {@code leaderHint} is the leader it knows of, or 0. Nothing was appended. */
  public record NotLeader(int leaderHint) implements ClientReply {}

  /** Leadership was lost before the entry at {@code index} committed: it may or may not be applied later. */
  public record Unknown(long index, String reason) implements ClientReply {}

  /** The leader refused the command (its queue of uncommitted proposals is full). Nothing was appended. */
  public record Refused(String reason) implements ClientReply {}

  /** Asks for a {@link Status}; every state answers it, recovery included. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command, RaftkvSerializable {}

  public enum Role { RECOVERING, FOLLOWER, CANDIDATE, LEADER }

  public record Status(int nodeId, Role role, long term, int votedFor, int leaderId, long commitIndex, long lastApplied,
      long lastLogIndex, long snapshotIndex) implements RaftkvSerializable {}

  /** Asks a leader to hand leadership to {@code targetId} once it is up to date (dissertation §3.10). */
  public record TransferLeadership(int targetId) implements Command, RaftkvSerializable {}

  /**
   * Asks the leader to change the cluster's members (dissertation §4.1, one server at a time):
   * answered with {@link Applied} once the new configuration is committed, {@link Refused} with the
   * reason when the change is not allowed now, or {@link NotLeader}.
   */
  public record ChangeMembership(ConfigurationChange change, ActorRef<ClientReply> replyTo) implements Command, RaftkvSerializable {}

  /** Asks for the configuration this node has in force; every state answers it, recovery included. */
  public record GetMembers(ActorRef<Members> replyTo) implements Command, RaftkvSerializable {}

  /**
   * A node's view of the members: the configuration in force (from the entry at
   * {@code configurationIndex}, {@code committed} or not yet), and, from a leader, each other
   * member's match index (empty from any other node).
   */
  public record Members(int nodeId, int leaderId, long lastIndex, long configurationIndex, boolean committed, Configuration configuration,
      Map<Integer, Long> matchIndexes) implements RaftkvSerializable {}

  /** The durable log answered (internal). */
  record LogReplied(RaftLog.Reply reply) implements Command {}

  /**
   * The background write of the snapshot pinned at {@code index} ended after {@code writeNanos}:
   * {@code file} on success, else {@code failure} says why (internal).
   */
  record SnapshotWritten(long index, io.raftkv.persistence.snapshot.SnapshotRef file, String failure, long writeNanos)
      implements Command {}

  /** A leader sends what was proposed since the last send (internal; it batches the proposals queued meanwhile). */
  enum Replicate implements Command { INSTANCE }

  /**
   * A message a node sends itself (its own vote), internal: never serialized, so no peer can send
   * one, and a peer's message claiming this node's id is refused as forged.
   */
  record Own(RaftMessage message) implements Command {}

  /** Messages stashed while the log recovers, at most. */
  static final int RECOVERY_STASH_MAX = 1_000;

  /**
   * The node without a timer: it starts by loading its durable log, then runs as a follower.
   *
   * @param peers every other voter's ref, keyed by node id
   * @param snapshots the node's snapshot files and the executor that writes them
   * @param random the source of election timeouts (seeded in tests)
   */
  public static Behavior<Command> create(RaftSettings settings, Map<Integer, ActorRef<RaftMessage>> peers,
      ActorRef<RaftLog.Command> log, StateMachine stateMachine, SnapshotStore snapshots, RandomGenerator random,
      RaftObserver observer) {
    for (int voter : settings.voters()) {
      if (voter != settings.nodeId() && !peers.containsKey(voter)) throw new IllegalArgumentException("no ref for peer " + voter);
    }
    return create(settings, PeerDirectory.of(peers), log, stateMachine, snapshots, random, observer);
  }

  /** The node, reaching its peers through {@code peers} as the members change. */
  public static Behavior<Command> create(RaftSettings settings, PeerDirectory peers, ActorRef<RaftLog.Command> log, StateMachine stateMachine,
      SnapshotStore snapshots, RandomGenerator random, RaftObserver observer) {
    return Behaviors.setup(ctx -> {
      // Named after this class: the name Pekko detects for a functional behavior is one of its own
      // classes, whose INFO lines the node's logging (org.apache.pekko at WARN) drops.
      ctx.setLoggerName(RaftNode.class);
      ActorRef<RaftLog.Reply> logReplies = ctx.messageAdapter(RaftLog.Reply.class, LogReplied::new);
      log.tell(new RaftLog.Load(logReplies));
      return Behaviors.withStash(RECOVERY_STASH_MAX, stash -> recovering(ctx, stash, settings, peers, log, logReplies,
          stateMachine, snapshots, random, observer));
    });
  }

  /** The node with a fixed-delay tick timer (fixed rate would fire every missed tick at once after a pause). */
  public static Behavior<Command> createWithTicks(RaftSettings settings, Map<Integer, ActorRef<RaftMessage>> peers,
      ActorRef<RaftLog.Command> log, StateMachine stateMachine, SnapshotStore snapshots, RandomGenerator random,
      RaftObserver observer) {
    return Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.tickInterval());
      return create(settings, peers, log, stateMachine, snapshots, random, observer);
    });
  }

  /** The node with a tick timer, reaching its peers through {@code peers} as the members change. */
  public static Behavior<Command> createWithTicks(RaftSettings settings, PeerDirectory peers, ActorRef<RaftLog.Command> log,
      StateMachine stateMachine, SnapshotStore snapshots, RandomGenerator random, RaftObserver observer) {
    return Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.tickInterval());
      return create(settings, peers, log, stateMachine, snapshots, random, observer);
    });
  }

  private static Behavior<Command> recovering(ActorContext<Command> ctx, StashBuffer<Command> stash, RaftSettings settings,
      PeerDirectory peers, ActorRef<RaftLog.Command> log, ActorRef<RaftLog.Reply> logReplies,
      StateMachine stateMachine, SnapshotStore snapshots, RandomGenerator random, RaftObserver observer) {
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> Behaviors.same())
        .onMessage(GetStatus.class, g -> {
          g.replyTo().tell(new Status(settings.nodeId(), Role.RECOVERING, 0, 0, 0, 0, 0, 0, 0));
          return Behaviors.same();
        })
        .onMessage(GetMembers.class, g -> {
          g.replyTo().tell(new Members(settings.nodeId(), 0, 0, 0, false, Configuration.bootstrap(settings.voters()), Map.of()));
          return Behaviors.same();
        })
        .onMessage(ChangeMembership.class, c -> {
          c.replyTo().tell(new Refused("recovering"));
          return Behaviors.same();
        })
        .onMessage(LogReplied.class, r -> {
          if (!(r.reply() instanceof RaftLog.Loaded loaded)) return Behaviors.same();
          NodeShell shell = new NodeShell(ctx, settings, peers, log, logReplies, stateMachine, snapshots, random,
              RaftObserver.both(new JfrRaftObserver(), observer), loaded.state());
          return stash.unstashAll(shell.behavior());
        })
        .onMessage(Propose.class, p -> {
          if (stash.isFull()) p.replyTo().tell(new Refused("recovering"));
          else stash.stash(p);
          return Behaviors.same();
        })
        .onMessage(Read.class, r -> {
          if (stash.isFull()) r.replyTo().tell(new Refused("recovering"));
          else stash.stash(r);
          return Behaviors.same();
        })
        .onMessage(ReadLocal.class, r -> {
          if (stash.isFull()) r.replyTo().tell(new Refused("recovering"));
          else stash.stash(r);
          return Behaviors.same();
        })
        .onMessage(DrainInbox.class, d -> {
          // Not stashed: a dropped drain message would leave the inbox signalled and never drained.
          // The gateway retries a refused request within its deadline.
          d.inbox().drainTo(r -> r.replyTo().reply(new Refused("recovering")));
          return Behaviors.same();
        })
        .onAnyMessage(m -> {
          if (!stash.isFull()) stash.stash(m); // a dropped Raft message is like a lost one: Raft retries
          return Behaviors.same();
        })
        .build();
  }
}
