package io.raftkv.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.raftkv.node.InProcessNodes.await;
import static io.raftkv.node.InProcessNodes.up;

import io.raftkv.kv.KvApi.Consistency;
import io.raftkv.kv.KvResponse;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.RequestId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes (three ActorSystems over Artery on loopback) in one JVM: they form the Pekko
 * Cluster through the majority join, elect a leader, and serve a write through one node and a read
 * through another; after a full stop, nodes 2 and 3 alone form the cluster again and keep the data.
 */
class InProcessClusterTest {
  @TempDir Path dir;
  private InProcessNodes nodes;

  @AfterEach
  void stopAll() {
    if (nodes != null) nodes.close();
  }

  private static LeaderRouter router(RaftkvNode node) {
    return new LeaderRouter(node.config().self().id(), node.raftRefs(), node.system().scheduler(), node.config().limits(), Duration.ofSeconds(2));
  }

  private static KvResponse put(LeaderRouter r, String key, String value) {
    return r.route(api -> api.put(RequestId.UNTRACKED, key, value.getBytes(StandardCharsets.UTF_8))).toCompletableFuture().join();
  }

  private static KvResponse get(LeaderRouter r, String key) {
    return r.route(api -> api.get(key, Consistency.LINEARIZABLE)).toCompletableFuture().join();
  }

  /** What node {@code id}'s /user/state-size answers {@code asking}, or -1 without an answer in time. */
  private static long stateBytes(RaftkvNode asking, int id) {
    try {
      return org.apache.pekko.actor.typed.javadsl.AskPattern.<StateSizeReporter.GetStateSize, StateSizeReporter.StateSize>ask(
              asking.stateSizeRefs().get(id), StateSizeReporter.GetStateSize::new, Duration.ofSeconds(2), asking.system().scheduler())
          .toCompletableFuture().join().stateBytes();
    } catch (java.util.concurrent.CompletionException e) {
      return -1;
    }
  }

  /** Retries a write until a leader takes it (elections take a moment), with a deadline. */
  private static void putEventually(LeaderRouter r, String key, String value) {
    KvResponse[] last = new KvResponse[1];
    await("a leader to take the write (last answer: " + last[0] + ")", () -> (last[0] = put(r, key, value)) instanceof KvResponse.Done,
        Duration.ofSeconds(20));
  }

  @Test
  void aClusterFormsWritesAnywhereAndRestartsFromAnyMajority() throws IOException {
    nodes = new InProcessNodes(dir, 3);
    RaftkvNode n1 = nodes.start(1);
    RaftkvNode n2 = nodes.start(2);
    RaftkvNode n3 = nodes.start(3);
    await("three members up", () -> up(n1, 3) && up(n2, 3) && up(n3, 3), Duration.ofSeconds(30));

    putEventually(router(n2), "greeting", "hello");
    KvResponse read = get(router(n3), "greeting");
    KvResult.Value v = assertInstanceOf(KvResult.Value.class, assertInstanceOf(KvResponse.Done.class, read).result());
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), v.value());
    // Every member's state size, asked of node 1 (over Artery for 2 and 3): the same count on every replica.
    for (int id = 1; id <= 3; id++) {
      int member = id;
      await("node " + id + " to report the 13 bytes of greeting=hello", () -> stateBytes(n1, member) == 13, Duration.ofSeconds(20));
    }

    nodes.close();
    // A full stop, then only nodes 2 and 3: with a plain seed list they could not form a cluster.
    RaftkvNode m2 = nodes.start(2);
    RaftkvNode m3 = nodes.start(3);
    await("nodes 2 and 3 up without node 1", () -> up(m2, 2) && up(m3, 2), Duration.ofSeconds(30));
    KvResponse[] again = new KvResponse[1];
    await("the write to survive the restart", () -> (again[0] = get(router(m3), "greeting")) instanceof KvResponse.Done,
        Duration.ofSeconds(20));
    KvResult.Value kept = assertInstanceOf(KvResult.Value.class, ((KvResponse.Done) again[0]).result());
    assertEquals("hello", new String(kept.value(), StandardCharsets.UTF_8));
    assertTrue(java.util.stream.StreamSupport.stream(Cluster.get(m2.system()).state().getMembers().spliterator(), false).noneMatch(m -> m.address().port().get().equals(
        n1.config().self().arteryPort())), "node 1 is a member though it never started");
  }

  /**
   * The node that forms the cluster stays Joining until the cluster leader moves it Up: here forever,
   * since min-nr-of-members holds it until a second member arrives. It must still answer that it is a
   * member, or node 3 waits for it forever (and, on a busy machine, a late node formed a second
   * cluster of its own that never merged with the first).
   */
  @Test
  void theNodeFormingTheClusterIsJoinedWhileItIsStillJoining() throws IOException {
    nodes = new InProcessNodes(dir, 3, "pekko.cluster.min-nr-of-members = 2\n");
    RaftkvNode n2 = nodes.start(2);
    RaftkvNode n3 = nodes.start(3);
    await("nodes 2 and 3 up in one cluster", () -> up(n2, 2) && up(n3, 2), Duration.ofSeconds(30));
  }
}
