package io.raftkv.kv.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftkv.kv.KvApi;
import io.raftkv.kv.KvApi.Consistency;
import io.raftkv.kv.KvResponse;
import io.raftkv.persistence.kv.KvEntry;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.KvStateMachine;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.kv.SessionPolicy;
import io.raftkv.persistence.raftlog.RaftLog;
import io.raftkv.raft.ClientInbox;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import io.raftkv.raft.RaftSettings;
import io.raftkv.raft.TestSnapshotStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every key-value operation through {@link KvApi} on a real single-node Raft group over the RocksDB
 * journal, both ways into the node: one ask per request, and batched through its {@link ClientInbox}.
 */
class KvApiTest {
  private static final KvLimits LIMITS = new KvLimits(64, 1024, 100);
  private static ActorTestKit testKit;
  private static KvApi asking;
  private static KvApi batched;
  private static long clientId;
  private static long sequence;

  static Config config() {
    Path dir = Paths.get(System.getProperty("raftkv.test.dir", "target/test-data"), "kvapi-" + UUID.randomUUID()).toAbsolutePath();
    return ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING\n"
            + "raftkv.persistence.journal.dir = \"" + dir.resolve("journal") + "\"\n"
            + "raftkv.persistence.snapshot-store.dir = \"" + dir.resolve("snapshots") + "\"\n")
        .withFallback(ConfigFactory.load());
  }

  static ActorRef<RaftNode.Command> node(ActorTestKit kit, List<Integer> voters) {
    RaftSettings settings = RaftSettings.defaults(1, voters);
    ActorRef<RaftLog.Command> log = kit.spawn(RaftLog.create(1), "log-" + UUID.randomUUID());
    return kit.spawn(RaftNode.createWithTicks(settings, Map.of(), log,
        new KvStateMachine(LIMITS, new SessionPolicy(100_000, 100)), TestSnapshotStores.fresh(), new Random(1), RaftObserver.NONE), "node-" + UUID.randomUUID());
  }

  /** Waits, with a deadline, until {@code node} leads. */
  static void awaitLeader(ActorTestKit kit, ActorRef<RaftNode.Command> node) {
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
      RaftNode.Status s = org.apache.pekko.actor.typed.javadsl.AskPattern.<RaftNode.Command, RaftNode.Status>ask(
          node, RaftNode.GetStatus::new, Duration.ofSeconds(1), kit.scheduler()).toCompletableFuture().join();
      assertEquals(RaftNode.Role.LEADER, s.role());
      return null;
    });
  }

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(config());
    ActorRef<RaftNode.Command> node = node(testKit, List.of(1));
    awaitLeader(testKit, node);
    asking = new KvApi(node, testKit.scheduler(), LIMITS, Duration.ofSeconds(10));
    batched = KvApi.overInbox(new ClientInbox(node, 100, Long.MAX_VALUE, 8), testKit.scheduler(), LIMITS, Duration.ofSeconds(10));
    KvResponse registered = await(batched.registerSession());
    clientId = ((KvResult.SessionRegistered) ((KvResponse.Done) registered).result()).clientId();
  }

  static Stream<Arguments> apis() {
    return Stream.of(Arguments.of(Named.of("one ask per request", asking)), Arguments.of(Named.of("batched through the inbox", batched)));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static KvResponse await(CompletionStage<KvResponse> stage) {
    return stage.toCompletableFuture().join();
  }

  private static KvResult done(CompletionStage<KvResponse> stage) {
    return assertInstanceOf(KvResponse.Done.class, await(stage)).result();
  }

  private static RequestId next() {
    return RequestId.of(clientId, ++sequence);
  }

  private static int keys;

  /** A key no other test (or run of this one over the other API) has used. */
  private static String fresh(String prefix) {
    return prefix + "-" + (++keys);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @MethodSource("apis")
  void everyOperation(KvApi api) {
    String a = fresh("a");
    assertEquals(KvResult.OK, done(api.put(next(), a + "/1", b("x"))));
    assertEquals(KvResult.OK, done(api.append(next(), a + "/1", b("y"))));
    assertArrayEquals(b("xy"), ((KvResult.Value) done(api.get(a + "/1", Consistency.LINEARIZABLE))).value());
    assertArrayEquals(b("xy"), ((KvResult.Value) done(api.get(a + "/1", Consistency.SERIALIZABLE))).value());
    assertInstanceOf(KvResult.CasMismatch.class, done(api.compareAndSet(next(), a + "/1", b("nope"), b("z"))));
    assertEquals(KvResult.OK, done(api.compareAndSet(next(), a + "/1", b("xy"), b("z"))));
    assertEquals(KvResult.OK, done(api.compareAndSet(next(), a + "/2", null, b("new"))));
    KvResult.ScanResult scan = (KvResult.ScanResult) done(api.scan(a + "/", 10, Consistency.LINEARIZABLE));
    assertEquals(List.of(a + "/1", a + "/2"), scan.entries().stream().map(KvEntry::key).toList());
    KvResult.ScanResult next = (KvResult.ScanResult) done(api.scan(a + "/", a + "/1", 10, Consistency.SERIALIZABLE));
    assertEquals(List.of(a + "/2"), next.entries().stream().map(KvEntry::key).toList());
    assertEquals(KvResult.OK, done(api.delete(next(), a + "/1")));
    assertEquals(KvResult.NOT_FOUND, done(api.get(a + "/1", Consistency.LINEARIZABLE)));
  }

  @ParameterizedTest
  @MethodSource("apis")
  void aRetriedWriteAppliesOnce(KvApi api) {
    RequestId id = next();
    String key = fresh("once");
    assertEquals(KvResult.OK, done(api.append(id, key, b("+"))));
    assertEquals(KvResult.OK, done(api.append(id, key, b("+")))); // the same request again: answered from the session
    assertArrayEquals(b("+"), ((KvResult.Value) done(api.get(key, Consistency.LINEARIZABLE))).value());
  }

  @ParameterizedTest
  @MethodSource("apis")
  void limitsAreCheckedBeforeTheLog(KvApi api) {
    KvResponse big = await(api.put(next(), "k", new byte[2048]));
    assertTrue(big instanceof KvResponse.Invalid i && i.reason().contains("valueBytesMax"), "got " + big);
    KvResponse longKey = await(api.put(next(), "k".repeat(100), b("v")));
    assertTrue(longKey instanceof KvResponse.Invalid i && i.reason().contains("keyBytesMax"), "got " + longKey);
  }

  /** An inbox of 4 KiB, full of 1 KiB puts the node has not taken yet: the next put is refused at once, not queued. */
  @Test
  void anInboxFullOfBytesAnswersBusyAtOnce() {
    org.apache.pekko.actor.testkit.typed.javadsl.TestProbe<RaftNode.Command> stalled = testKit.createTestProbe();
    KvApi api = KvApi.overInbox(new ClientInbox(stalled.ref(), 1000, 4096, 8), testKit.scheduler(), LIMITS, Duration.ofSeconds(10));
    int accepted = 0;
    CompletionStage<KvResponse> refused = null;
    while (refused == null && accepted < 10) {
      CompletionStage<KvResponse> r = api.put(RequestId.UNTRACKED, "k" + accepted, new byte[1024]);
      if (r.toCompletableFuture().isDone()) refused = r;
      else accepted++;
    }
    assertEquals(3, accepted, "three 1 KiB puts (about 1.1 KiB each, as sizeBytes counts) fit in 4 KiB");
    KvResponse answer = await(refused);
    assertTrue(answer instanceof KvResponse.Busy b && b.reason().contains("inbox is full"), "got " + answer);
  }

  @ParameterizedTest(name = "batched: {0}")
  @ValueSource(booleans = {false, true})
  void aGroupWithNoLeaderAnswersWithinTheDeadline(boolean viaInbox) {
    ActorTestKit kit = ActorTestKit.create(config());
    try {
      // Two voters, one of them missing: no election can be won.
      ActorRef<RaftLog.Command> log = kit.spawn(RaftLog.create(1), "log");
      ActorRef<RaftNode.Command> lonely = kit.spawn(RaftNode.createWithTicks(RaftSettings.defaults(1, List.of(1, 2)),
          Map.of(2, kit.<io.raftkv.raft.RaftMessage>createTestProbe().ref()), log,
          new KvStateMachine(LIMITS, new SessionPolicy(100, 10)), TestSnapshotStores.fresh(), new Random(2), RaftObserver.NONE), "node");
      KvApi slow = viaInbox
          ? KvApi.overInbox(new ClientInbox(lonely, 10, Long.MAX_VALUE, 4), kit.scheduler(), LIMITS, Duration.ofMillis(300))
          : new KvApi(lonely, kit.scheduler(), LIMITS, Duration.ofMillis(300));
      // The inbox refuses rather than stashes while the node loads its log (the gateway retries it).
      java.util.function.Predicate<KvResponse> noLeader = r -> r instanceof KvResponse.NotLeader || r instanceof KvResponse.Timeout
          || (viaInbox && r instanceof KvResponse.Busy b && b.reason().equals("recovering"));
      KvResponse r = await(slow.put(RequestId.UNTRACKED, "k", b("v")));
      assertTrue(noLeader.test(r), "got " + r);
      KvResponse read = await(slow.get("k", Consistency.LINEARIZABLE));
      assertTrue(noLeader.test(read), "got " + read);
    } finally {
      kit.shutdownTestKit();
    }
  }
}
