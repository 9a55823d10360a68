package io.raftkv.raft.realjournal;

import io.raftkv.persistence.raftlog.RaftLog;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import io.raftkv.raft.TestSnapshotStores;
import io.raftkv.raft.sim.ChecksumStateMachine;
import io.raftkv.raft.sim.TestCommand;
import io.raftkv.raft.sim.TestResult;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The child JVM of {@link RaftNodeKillNineTest}: a single-node Raft group (voters = [1]) on the
 * RocksDB journal in {@code args[0]}. Once the node leads, it proposes the commands 1, 2, 3, ...
 * (at most {@value #WINDOW} unanswered at a time, so that batches coalesce as in production) and
 * prints {@code APPLIED <index> <value> <checksum>} the moment each is acknowledged as applied
 * (not necessarily in index order: each answer comes through its own ask), until {@code args[1]}
 * commands are applied or the process is killed.
 *
 * <p>Usage: {@code RaftNodeKillNineChild <data dir> <command count>}
 */
public final class RaftNodeKillNineChild {
  static final String APPLIED = "APPLIED ";
  static final int NODE = 1;
  static final List<Integer> VOTERS = List.of(NODE);
  /** Small, so that Pekko snapshots and event deletions happen while the child may be killed. */
  static final int EVENTS_PER_PEKKO_SNAPSHOT = 20;
  private static final int WINDOW = 8;
  /** Bounds a hung node only; a single-node commit takes one synced write. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(10);

  private static volatile boolean failed;

  private RaftNodeKillNineChild() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Paths.get(args[0]);
    long count = Long.parseLong(args[1]);
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.setup(
                ctx -> {
                  ActorRef<RaftLog.Command> log = ctx.spawn(RaftLog.create(NODE), "log");
                  ActorRef<RaftNode.Command> node =
                      ctx.spawn(
                          RaftNode.createWithTicks(
                              RealJournal.settings(NODE, VOTERS), Map.of(), log, new ChecksumStateMachine(),
                              TestSnapshotStores.of(dataDir, NODE), new Random(1), RaftObserver.NONE),
                          "node");
                  ctx.spawn(proposer(node, count), "proposer");
                  return Behaviors.empty();
                }),
            "raft-kill-nine-child",
            RealJournal.config(dataDir));
    system.getWhenTerminated().toCompletableFuture().get();
    System.exit(failed ? 1 : 0);
  }

  private enum Poll { INSTANCE }

  private record Answered(long value, RaftNode.ClientReply reply, Throwable failure) {}

  /** Polls the node's status until it leads, then keeps {@value #WINDOW} proposals in flight. */
  private static Behavior<Object> proposer(ActorRef<RaftNode.Command> node, long count) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(Poll.INSTANCE, POLL);
                  return Behaviors.receive(Object.class)
                      .onMessageEquals(Poll.INSTANCE, () -> {
                        node.tell(new RaftNode.GetStatus(ctx.getSelf().narrow()));
                        return Behaviors.same();
                      })
                      .onMessage(RaftNode.Status.class, s -> {
                        if (s.role() != RaftNode.Role.LEADER) return Behaviors.same();
                        timers.cancel(Poll.INSTANCE);
                        for (long v = 1; v <= Math.min(WINDOW, count); v++) propose(ctx, node, v);
                        return proposing(ctx, node, count, Math.min(WINDOW, count) + 1);
                      })
                      .build();
                }));
  }

  private static Behavior<Object> proposing(ActorContext<Object> ctx, ActorRef<RaftNode.Command> node, long count, long firstUnsent) {
    long[] next = {firstUnsent};
    long[] answered = {0};
    return Behaviors.receive(Object.class)
        .onMessage(Answered.class, a -> {
          if (!(a.reply() instanceof RaftNode.Applied applied)) {
            System.err.println("command " + a.value() + " answered " + (a.failure() != null ? a.failure() : a.reply()));
            failed = true;
            ctx.getSystem().terminate();
            return Behaviors.stopped();
          }
          System.out.println(APPLIED + applied.index() + " " + a.value() + " " + ((TestResult) applied.result()).checksum());
          System.out.flush(); // the parent must see it now, not when a buffer fills
          if (next[0] <= count) propose(ctx, node, next[0]++);
          if (++answered[0] == count) ctx.getSystem().terminate();
          return Behaviors.same();
        })
        .build();
  }

  private static void propose(ActorContext<Object> ctx, ActorRef<RaftNode.Command> node, long value) {
    ctx.ask(
        RaftNode.ClientReply.class,
        node,
        ANSWER_TIMEOUT,
        replyTo -> new RaftNode.Propose(new TestCommand(value), replyTo),
        (reply, failure) -> new Answered(value, reply, failure));
  }
}
