package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.Consistency;
import io.raftkv.client.RaftkvClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node JVMs on 127.0.0.1 under the faults a process meets in production: frozen with
 * SIGSTOP (a long GC pause, a stalled VM) and resumed, killed and restarted far behind a compacted
 * log, and the whole cluster stopped and started again without its first node. Each test prints what
 * it measured (election after a pause, catch-up times).
 */
class ClusterFaultsProcessTest {
  private static final Duration ELECTION_LIMIT = Duration.ofSeconds(30);
  private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(60);
  private static final Duration MEMBERSHIP_LIMIT = Duration.ofSeconds(60);
  /** How long a node stays paused: past Pekko's failure detection (about 4 s), so it is marked unreachable meanwhile. */
  private static final Duration PAUSE = Duration.ofSeconds(6);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir; // a failed run keeps its node logs
  private ProcessCluster cluster;

  @AfterEach
  void down() {
    if (cluster != null) cluster.down();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Optional<byte[]> value) {
    return value.map(v -> new String(v, StandardCharsets.UTF_8)).orElse(null);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static int otherThan(int... ids) {
    return IntStream.rangeClosed(1, 3).filter(id -> IntStream.of(ids).noneMatch(x -> x == id)).findFirst().orElseThrow();
  }

  /** Writes {@code prefix-0 .. prefix-(count-1)} (value {@code v-prefix-i}) through {@code client}. */
  private static void writeKeys(RaftkvClient client, String prefix, int count) {
    for (int i = 0; i < count; i++) client.put(prefix + "-" + i, bytes("v-" + prefix + "-" + i));
  }

  /** Writes {@code prefix-0, prefix-1, ...} through {@code client} until {@code untilNanos}; returns how many. */
  private static int writeUntil(RaftkvClient client, String prefix, long untilNanos) {
    int written = 0;
    while (System.nanoTime() < untilNanos) {
      client.put(prefix + "-" + written, bytes("v-" + prefix + "-" + written));
      written++;
    }
    return written;
  }

  /** Reads {@code prefix-0 .. prefix-(count-1)} from node {@code id}'s own state machine (serializable: no forwarding). */
  private void assertKeysOn(int id, String prefix, int count) {
    RaftkvClient local = cluster.client(id);
    for (int i = 0; i < count; i++) {
      assertEquals("v-" + prefix + "-" + i, text(local.get(prefix + "-" + i, Consistency.SERIALIZABLE)), "node " + id + ", key " + prefix + "-" + i);
    }
  }

  /** The leader all three nodes name, waited for. */
  private int leader() {
    return cluster.awaitLeader(ELECTION_LIMIT, 1, 2, 3);
  }

  /**
   * One Pekko Cluster of three: every node sees all three as Up members, none unreachable. After a
   * fault this shows that Pekko never downed or removed anyone (nothing may down a member here, so a
   * paused node must come back by itself) and that a restarted node rejoined.
   */
  private void assertOneClusterOfThree() {
    for (int id : cluster.ids()) cluster.awaitPekkoMembersUp(id, MEMBERSHIP_LIMIT);
  }

  @Test
  void aPausedFollowerAndAPausedLeaderComeBackAsFollowersAndCatchUp() throws Exception {
    cluster = ProcessCluster.create(dir, 3, "");
    cluster.up();
    assertOneClusterOfThree();

    // A follower frozen while writes go on through the others; long enough for Pekko to mark it unreachable (~4 s).
    int leader = leader();
    int follower = otherThan(leader);
    int third = otherThan(leader, follower);
    long pausedAt = System.nanoTime();
    cluster.pause(follower);
    int written = writeUntil(cluster.client(leader, third), "f", pausedAt + PAUSE.toNanos());
    long pauseMs = millisSince(pausedAt);
    assertTrue(written >= 5, "only " + written + " writes in " + pauseMs + " ms while a follower was paused");
    long commit = cluster.index(cluster.awaitLeader(ELECTION_LIMIT, leader, third), "commitIndex");
    long resumedAt = System.nanoTime();
    cluster.resume(follower);
    long followerCatchUpMs = cluster.awaitCaughtUp(follower, commit, CATCH_UP_LIMIT);
    assertOneClusterOfThree();
    long followerMemberMs = millisSince(resumedAt);
    assertKeysOn(follower, "f", written);
    System.out.printf("follower %d paused %d ms: %d writes acknowledged meanwhile (%.0f/s); after SIGCONT it caught up to index %d in %d ms"
        + " and every node saw three Up members, none unreachable, within %d ms%n",
        follower, pauseMs, written, written * 1000.0 / pauseMs, commit, followerCatchUpMs, followerMemberMs);

    // The leader frozen: the other two elect a new one and take writes.
    int paused = leader();
    int[] others = {otherThan(paused), otherThan(paused, otherThan(paused))};
    long stoppedAt = System.nanoTime();
    cluster.pause(paused);
    int[] newLeader = new int[1];
    ProcessCluster.await(ELECTION_LIMIT, "a new leader named by nodes " + others[0] + " and " + others[1], () -> {
      newLeader[0] = cluster.agreedLeader(others).orElse(paused);
      return newLeader[0] != paused;
    });
    long electedMs = millisSince(stoppedAt);
    RaftkvClient survivors = cluster.client(others);
    survivors.put("l-first", bytes("v-l-first"));
    long firstWriteMs = millisSince(stoppedAt);
    written = writeUntil(survivors, "l", stoppedAt + PAUSE.toNanos());
    commit = cluster.index(newLeader[0], "commitIndex");
    long pausedMs = millisSince(stoppedAt);
    resumedAt = System.nanoTime();
    cluster.resume(paused);
    long leaderCatchUpMs = cluster.awaitCaughtUp(paused, commit, CATCH_UP_LIMIT);
    assertOneClusterOfThree();
    long leaderMemberMs = millisSince(resumedAt);
    assertKeysOn(paused, "l", written);
    // It serves: written through another node, read through it with linearizable reads it forwards to the leader.
    cluster.client(others[1]).put("after-resume", bytes("yes"));
    assertEquals("yes", text(cluster.client(paused).get("after-resume", Consistency.LINEARIZABLE)));
    assertEquals("v-f-0", text(cluster.client(paused).get("f-0", Consistency.LINEARIZABLE)));
    System.out.printf("leader %d paused %d ms: node %d led %d ms after SIGSTOP, the first write through the others was acknowledged after"
        + " %d ms, %d more meanwhile; after SIGCONT the old leader followed, caught up to index %d in %d ms, and every node saw three Up"
        + " members within %d ms%n", paused, pausedMs, newLeader[0], electedMs, firstWriteMs, written, commit, leaderCatchUpMs, leaderMemberMs);
  }

  @Test
  @Tag("slow") // the slower tier: AtSizeProcessTest and SecureAtSizeProcessTest catch followers up through snapshots at size there too
  void aFollowerFarBehindACompactedLogCatchesUpThroughASnapshot() throws Exception {
    int snapshotEvery = 20;
    cluster = ProcessCluster.create(dir, 3, String.join("\n",
        "raftkv.raft.snapshot-entries-max = " + snapshotEvery,
        "raftkv.raft.snapshot-chunk-bytes = 1 KiB")); // several chunks per snapshot
    cluster.up();
    int leader = leader();
    int follower = otherThan(leader);
    int third = otherThan(leader, follower);
    RaftkvClient writer = cluster.client(leader, third);
    writeKeys(writer, "a", 5);
    cluster.awaitCaughtUp(follower, cluster.index(leader, "commitIndex"), CATCH_UP_LIMIT);
    long followerLastIndex = cluster.index(follower, "lastLogIndex");

    cluster.kill(follower);
    int keys = 200;
    writeKeys(writer, "b", keys);
    leader = cluster.awaitLeader(ELECTION_LIMIT, leader, third);
    long commit = cluster.index(leader, "commitIndex");
    // Whichever of the two leads when the follower returns, its log starts past the follower's: only a snapshot can bring it up.
    long compacted = Math.min(cluster.index(leader, "snapshotIndex"), cluster.index(third, "snapshotIndex"));
    assertTrue(compacted > followerLastIndex,
        "both others must have compacted past the follower's log: snapshots up to " + compacted + ", follower's last index " + followerLastIndex);

    long restartedAt = System.nanoTime();
    cluster.local.start(follower);
    long catchUpMs = cluster.awaitCaughtUp(follower, commit, CATCH_UP_LIMIT);
    long followerSnapshot = cluster.index(follower, "snapshotIndex");
    assertTrue(followerSnapshot >= compacted,
        "the follower's snapshot index " + followerSnapshot + " shows no installed snapshot (the others had compacted to " + compacted + ")");
    assertKeysOn(follower, "a", 5);
    assertKeysOn(follower, "b", keys);
    assertOneClusterOfThree();
    System.out.printf("follower %d killed at index %d; the others compacted to %d (commit %d); the restarted follower caught up in %d ms"
        + " (JVM start included) with snapshot index %d, and every node saw three Up members %d ms after its start%n", follower,
        followerLastIndex, compacted, commit, catchUpMs, followerSnapshot, millisSince(restartedAt));
  }

  @Test
  void afterAFullStopNodesTwoAndThreeServeWithoutNodeOneWhichThenRejoins() throws Exception {
    cluster = ProcessCluster.create(dir, 3, "");
    cluster.up();
    writeKeys(cluster.client(1, 2, 3), "s", 20);
    cluster.down();

    long startedAt = System.nanoTime();
    cluster.local.start(2);
    cluster.local.start(3);
    int leader = cluster.awaitLeader(Duration.ofSeconds(90), 2, 3);
    long electedMs = millisSince(startedAt);
    assertTrue(leader == 2 || leader == 3, "node 1 is down, yet the leader is " + leader);
    RaftkvClient majority = cluster.client(2, 3);
    long writeAt = System.nanoTime();
    writeKeys(majority, "m", 20);
    long writesMs = millisSince(writeAt);
    assertEquals("v-s-19", text(majority.get("s-19", Consistency.LINEARIZABLE)));
    long commit = cluster.index(leader, "commitIndex");

    long rejoinAt = System.nanoTime();
    cluster.local.start(1);
    long rejoinMs = cluster.awaitCaughtUp(1, commit, CATCH_UP_LIMIT);
    assertKeysOn(1, "s", 20);
    assertKeysOn(1, "m", 20);
    assertOneClusterOfThree();
    long memberMs = millisSince(rejoinAt);
    cluster.client(1).put("through-1", bytes("yes")); // node 1 forwards to the leader
    assertEquals("yes", text(cluster.client(leader).get("through-1", Consistency.LINEARIZABLE)));
    System.out.printf("full stop, then nodes 2 and 3 started: node %d led %d ms after their start (JVM start included), 20 writes in %d ms;"
        + " node 1 started %d ms later caught up to index %d in %d ms and was an Up member %d ms after its start%n", leader, electedMs,
        writesMs, (rejoinAt - startedAt) / 1_000_000, commit, rejoinMs, memberMs);
  }
}
