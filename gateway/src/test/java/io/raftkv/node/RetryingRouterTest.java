package io.raftkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.kv.KvResponse;
import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.raft.RaftNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The gateway's retries: a retried write keeps its id, writes without headers get the gateway's sessions, and every call ends by its deadline. */
class RetryingRouterTest {
  static final ActorTestKit kit = ActorTestKit.create();
  private static final KvLimits LIMITS = new KvLimits(64, 64, 10);

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /**
   * A one-node group stand-in: registers sessions with ids 100, 101, ...; answers each write with the
   * next scripted reply (Applied OK once the script is empty); records every write it was sent.
   */
  private static final class Leader {
    final List<KvCommand> writes = Collections.synchronizedList(new ArrayList<>());
    final Deque<RaftNode.ClientReply> script = new ArrayDeque<>();
    private long nextSession = 100;

    Behavior<RaftNode.Command> behavior() {
      return Behaviors.receive(RaftNode.Command.class)
          .onMessage(RaftNode.Propose.class, p -> {
            KvCommand c = (KvCommand) p.command();
            writes.add(c);
            if (c instanceof KvCommand.RegisterSession) {
              p.replyTo().tell(new RaftNode.Applied(1, 1, new KvResult.SessionRegistered(nextSession++)));
            } else {
              RaftNode.ClientReply next = script.pollFirst();
              p.replyTo().tell(next != null ? next : new RaftNode.Applied(2, 1, KvResult.OK));
            }
            return Behaviors.same();
          })
          .build();
    }

    List<RequestId> putIds() {
      synchronized (writes) {
        return writes.stream().filter(c -> c instanceof KvCommand.Put).map(c -> ((KvCommand.Put) c).requestId()).toList();
      }
    }

    long registrations() {
      synchronized (writes) {
        return writes.stream().filter(c -> c instanceof KvCommand.RegisterSession).count();
      }
    }
  }

  private static RetryingRouter router(ActorRef<RaftNode.Command> node, Duration request, Duration attempt, int sessionsMax) {
    LeaderRouter leaders = new LeaderRouter(1, Map.of(1, node), kit.scheduler(), LIMITS, attempt);
    return new RetryingRouter(leaders, kit.scheduler(), new GatewaySettings(request, attempt, 100, 64L << 20, 10, sessionsMax));
  }

  private static Function<RequestId, Function<io.raftkv.kv.KvApi, CompletionStage<KvResponse>>> put(String key) {
    return id -> api -> api.put(id, key, new byte[] {1});
  }

  private static KvResponse join(CompletionStage<KvResponse> r) {
    return r.toCompletableFuture().join();
  }

  @Test
  void writesWithoutHeadersGoThroughOneGatewaySessionInSequence() {
    Leader leader = new Leader();
    RetryingRouter router = router(kit.spawn(leader.behavior()), Duration.ofSeconds(5), Duration.ofSeconds(1), 4);
    for (int i = 0; i < 3; i++) assertInstanceOf(KvResponse.Done.class, join(router.write(RequestId.UNTRACKED, put("k" + i))));
    assertEquals(List.of(RequestId.of(100, 1), RequestId.of(100, 2), RequestId.of(100, 3)), leader.putIds());
    assertEquals(1, leader.registrations(), "one write at a time needs one session");
  }

  @Test
  void aWriteTriedAgainKeepsItsRequestId() {
    Leader leader = new Leader();
    leader.script.add(new RaftNode.NotLeader(0));
    leader.script.add(new RaftNode.Refused("proposals-pending-max reached"));
    leader.script.add(new RaftNode.Unknown(5, "leadership lost"));
    RetryingRouter router = router(kit.spawn(leader.behavior()), Duration.ofSeconds(5), Duration.ofSeconds(1), 4);
    assertEquals(KvResult.OK, assertInstanceOf(KvResponse.Done.class, join(router.write(RequestId.UNTRACKED, put("k")))).result());
    assertEquals(List.of(RequestId.of(100, 1), RequestId.of(100, 1), RequestId.of(100, 1), RequestId.of(100, 1)), leader.putIds());
    // The caller's own id is kept the same way.
    leader.script.add(new RaftNode.NotLeader(0));
    assertInstanceOf(KvResponse.Done.class, join(router.write(RequestId.of(7, 9), put("k"))));
    assertEquals(List.of(RequestId.of(7, 9), RequestId.of(7, 9)), leader.putIds().subList(4, 6));
  }

  @Test
  void anExpiredSessionIsReplacedAndTheWriteSentInTheNewOne() {
    Leader leader = new Leader();
    RetryingRouter router = router(kit.spawn(leader.behavior()), Duration.ofSeconds(5), Duration.ofSeconds(1), 4);
    join(router.write(RequestId.UNTRACKED, put("a")));
    leader.script.add(new RaftNode.Applied(3, 1, new KvResult.SessionExpired(100)));
    assertEquals(KvResult.OK, assertInstanceOf(KvResponse.Done.class, join(router.write(RequestId.UNTRACKED, put("b")))).result());
    assertEquals(List.of(RequestId.of(100, 1), RequestId.of(100, 2), RequestId.of(101, 1)), leader.putIds());
    assertEquals(1, router.gatewaySessions(), "the expired session is forgotten");
  }

  @Test
  void aGroupThatNeverAnswersEndsTheCallByItsDeadline() {
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    ActorRef<RaftNode.Command> silent = kit.spawn(Behaviors.receive(RaftNode.Command.class).onAnyMessage(m -> {
      asked.incrementAndGet(); // and never answers
      return Behaviors.same();
    }).build());
    RetryingRouter router = router(silent, Duration.ofMillis(600), Duration.ofMillis(200), 4);
    long started = System.nanoTime();
    KvResponse r = join(router.read(api -> api.get("k", io.raftkv.kv.KvApi.Consistency.LINEARIZABLE)));
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertInstanceOf(KvResponse.Timeout.class, r);
    // Counted, not timed: on a loaded machine the scheduler's timeouts fire late or early by a tick.
    assertTrue(asked.get() >= 2, "asked " + asked.get() + " time(s) in " + tookMs + " ms: a timed-out attempt is retried while one fits");
    // Never starts an attempt that could not end in time: the answer comes by the request's deadline.
    assertTrue(tookMs < 600 + 500, "answered after " + tookMs + " ms");
  }

  @Test
  void aWriteFindingEverySessionOnLoanWaitsForOneWithinItsDeadline() {
    // A leader that holds the writes to "a" and "b" (their sessions stay on loan) and answers the rest.
    Map<String, List<ActorRef<RaftNode.ClientReply>>> held = new java.util.concurrent.ConcurrentHashMap<>();
    List<KvCommand.Put> puts = Collections.synchronizedList(new ArrayList<>());
    long[] sessionIds = {100};
    ActorRef<RaftNode.Command> holding = kit.spawn(Behaviors.receive(RaftNode.Command.class)
        .onMessage(RaftNode.Propose.class, p -> {
          if (p.command() instanceof KvCommand.RegisterSession) {
            p.replyTo().tell(new RaftNode.Applied(1, 1, new KvResult.SessionRegistered(sessionIds[0]++)));
            return Behaviors.same();
          }
          KvCommand.Put put = (KvCommand.Put) p.command();
          puts.add(put);
          if (put.key().equals("c")) p.replyTo().tell(new RaftNode.Applied(2, 1, KvResult.OK));
          else held.computeIfAbsent(put.key(), k -> Collections.synchronizedList(new ArrayList<>())).add(p.replyTo());
          return Behaviors.same();
        })
        .build());
    RetryingRouter router = router(holding, Duration.ofSeconds(10), Duration.ofSeconds(2), 2);
    CompletableFuture<KvResponse> a = router.write(RequestId.UNTRACKED, put("a")).toCompletableFuture();
    CompletableFuture<KvResponse> b = router.write(RequestId.UNTRACKED, put("b")).toCompletableFuture();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (held.size() < 2 && System.nanoTime() < deadline) java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    assertEquals(2, held.size(), "both writes reached the leader");
    CompletableFuture<KvResponse> c = router.write(RequestId.UNTRACKED, put("c")).toCompletableFuture();
    assertTrue(!c.isDone(), "no session free: the write waits (retrying) instead of failing");
    held.get("a").forEach(r -> r.tell(new RaftNode.Applied(3, 1, KvResult.OK)));
    assertInstanceOf(KvResponse.Done.class, a.join());
    assertInstanceOf(KvResponse.Done.class, c.join());
    long sessionOfA;
    synchronized (puts) {
      sessionOfA = puts.stream().filter(x -> x.key().equals("a")).findFirst().orElseThrow().requestId().clientId();
      assertEquals(RequestId.of(sessionOfA, 2), puts.stream().filter(x -> x.key().equals("c")).findFirst().orElseThrow().requestId(),
          "c went out in a's session, after it");
    }
    held.get("b").forEach(r -> r.tell(new RaftNode.Applied(4, 1, KvResult.OK)));
    assertInstanceOf(KvResponse.Done.class, b.join());
    assertEquals(2, router.gatewaySessions(), "never more than sessions-max");
  }
}
