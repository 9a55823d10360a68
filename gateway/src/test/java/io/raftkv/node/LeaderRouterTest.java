package io.raftkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.raftkv.kv.KvApi.Consistency;
import io.raftkv.kv.KvResponse;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.raft.RaftNode;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Forwarding to the leader: hints are followed, and a silent (dead) member does not stall a request. */
class LeaderRouterTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** A node stand-in answering every read and write with {@code reply}, or never when it is null. */
  private static Behavior<RaftNode.Command> answering(RaftNode.ClientReply reply) {
    return Behaviors.receive(RaftNode.Command.class)
        .onMessage(RaftNode.Read.class, r -> {
          if (reply != null) r.replyTo().tell(reply);
          return Behaviors.same();
        })
        .onMessage(RaftNode.Propose.class, p -> {
          if (reply != null) p.replyTo().tell(reply);
          return Behaviors.same();
        })
        .build();
  }

  @Test
  void aDeadLeaderNamedInAStaleHintIsPassedBy() {
    RaftNode.ClientReply value = new RaftNode.ReadDone(7, new KvResult.Value(new byte[] {1}, new io.raftkv.persistence.kv.KeyRevisions(3, 5, 2)));
    Map<Integer, ActorRef<RaftNode.Command>> refs = Map.of(
        1, kit.spawn(answering(new RaftNode.NotLeader(3))), // this node still believes in the old leader
        2, kit.spawn(answering(value)), // the new leader
        3, kit.spawn(answering(null))); // the old leader, killed: it never answers
    LeaderRouter router = new LeaderRouter(1, refs, kit.scheduler(), new KvLimits(64, 64, 10), Duration.ofMillis(300));
    KvResponse r = router.route(api -> api.get("k", Consistency.LINEARIZABLE)).toCompletableFuture().join();
    assertEquals(KvResult.Value.class, assertInstanceOf(KvResponse.Done.class, r).result().getClass());
  }

  @Test
  void aSilentLocalNodeIsReportedNotRetriedElsewhere() {
    Map<Integer, ActorRef<RaftNode.Command>> refs = Map.of(1, kit.spawn(answering(null)), 2, kit.spawn(answering(new RaftNode.NotLeader(0))));
    LeaderRouter router = new LeaderRouter(1, refs, kit.scheduler(), new KvLimits(64, 64, 10), Duration.ofMillis(200));
    KvResponse r = router.route(api -> api.get("k", Consistency.LINEARIZABLE)).toCompletableFuture().join();
    assertInstanceOf(KvResponse.Timeout.class, r); // the local node is this process: if it is stuck, say so
  }
}
