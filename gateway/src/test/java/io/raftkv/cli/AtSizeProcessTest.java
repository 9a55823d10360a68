package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.check.CheckResult;
import io.raftkv.check.HistoryReader;
import io.raftkv.check.LinearizabilityChecker;
import io.raftkv.check.OpType;
import io.raftkv.check.Verdict;
import io.raftkv.client.Consistency;
import io.raftkv.client.RaftkvClient;
import io.raftkv.client.RaftkvException;
import io.raftkv.stress.HistoryRecorder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node JVMs with the shipped settings at a size that used to break the cluster: a follower
 * is killed, 200 MiB of state is written through the others (more than three times the 65 MB that
 * stopped every node, and more than the log they keep: they snapshot and compact meanwhile), the
 * follower comes back and catches up through a snapshot file streamed in chunks, then the whole
 * cluster is stopped and started and every key is read back from every node. The writers' history
 * is checked for linearizability.
 *
 * <p>Values are {@value #VALUE_BYTES} bytes: a tag naming the write, then filler derived from the
 * tag. The history records the tag, so the checker works on short values, and every value read is
 * checked whole against the filler its tag implies.
 *
 * <p>Slow (minutes): tagged {@code at-size}, run by {@code mvn -P at-size verify} (.ci/run does).
 */
@Tag("at-size")
class AtSizeProcessTest {
  private static final int VALUE_BYTES = 16 * 1024;
  private static final long STATE_BYTES = 200L << 20;
  private static final int THREADS = 8;
  private static final int KEYS = (int) (STATE_BYTES / VALUE_BYTES); // 12,800
  private static final Duration WRITE_LIMIT = Duration.ofMinutes(10);
  private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(5);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir; // kept when it fails: the nodes' logs are in dir/run
  private ProcessCluster cluster;

  @AfterEach
  void down() {
    if (cluster != null) cluster.down();
  }

  @Test
  void aFollowerBehind200MiBCatchesUpByASnapshotAndEveryKeySurvivesDownAndUp() throws Exception {
    cluster = ProcessCluster.create(dir, 3, "");
    cluster.up();
    int leader = cluster.awaitLeader(Duration.ofSeconds(60), 1, 2, 3);
    int behind = leader == 3 ? 2 : 3;
    int[] others = cluster.ids().stream().filter(id -> id != behind).mapToInt(Integer::intValue).toArray();
    cluster.kill(behind);

    Path historyFile = dir.resolve("history.jsonl");
    long writeStart = System.nanoTime();
    long written = write(cluster.client(others), historyFile);
    long writeMs = (System.nanoTime() - writeStart) / 1_000_000;
    System.out.printf("at size: %d puts of %d B (%.1f MiB) through nodes %s in %d ms (%.0f puts/s)%n", written, VALUE_BYTES,
        written * (double) VALUE_BYTES / (1 << 20), java.util.Arrays.toString(others), writeMs, written * 1000.0 / writeMs);
    int leaderNow = cluster.awaitLeader(Duration.ofSeconds(60), others);
    long leaderSnapshot = cluster.index(leaderNow, "snapshotIndex");
    assertTrue(leaderSnapshot > 0, "the leader took no snapshot while 200 MiB were written");

    // The follower restarts behind the leader's snapshot: it must be sent the snapshot file.
    cluster.up();
    long target = cluster.index(leaderNow, "commitIndex");
    long caughtUpMs = cluster.awaitCaughtUp(behind, target, CATCH_UP_LIMIT);
    long followerSnapshot = cluster.index(behind, "snapshotIndex");
    System.out.printf("at size: node %d caught up to index %d in %d ms; its snapshot index %d (the leader's %d)%n", behind, target,
        caughtUpMs, followerSnapshot, leaderSnapshot);
    assertTrue(followerSnapshot >= leaderSnapshot, "node " + behind + " caught up without the leader's snapshot");

    cluster.down();
    long upStart = System.nanoTime();
    cluster.up();
    System.out.printf("at size: down and up, a leader again in %d ms%n", (System.nanoTime() - upStart) / 1_000_000);
    // The first node's pass is linearizable reads, recorded after the writes in the same history;
    // the others read their own state (serializable), every node having applied everything.
    Path readsFile = dir.resolve("reads.jsonl");
    for (int id : cluster.ids()) {
      long start = System.nanoTime();
      int read;
      if (id == cluster.ids().get(0)) {
        try (HistoryRecorder reads = HistoryRecorder.to(readsFile)) {
          read = readBack(cluster.client(id), id, reads);
        }
      } else {
        long applied = target;
        ProcessCluster.await(CATCH_UP_LIMIT, () -> "node " + id + " applied " + applied + "; the nodes report " + cluster.describe(cluster.ids()),
            () -> cluster.status(id).map(n -> n.get("appliedIndex").asLong() >= applied).orElse(false));
        read = readBack(cluster.client(id), id, null);
      }
      System.out.printf("at size: node %d holds all %d keys, read back whole in %d ms%n", id, read, (System.nanoTime() - start) / 1_000_000);
    }

    Path all = dir.resolve("all.jsonl");
    Files.write(all, Files.readAllBytes(historyFile));
    Files.write(all, Files.readAllBytes(readsFile), java.nio.file.StandardOpenOption.APPEND);
    CheckResult result = new LinearizabilityChecker().check(HistoryReader.read(all), Duration.ofSeconds(120));
    assertEquals(Verdict.LINEARIZABLE, result.verdict(), result.toString());
  }

  /** Puts every key once, THREADS at a time, each thread in a session of its own; returns how many were acknowledged. */
  private long write(RaftkvClient client, Path historyFile) throws Exception {
    AtomicLong acknowledged = new AtomicLong();
    long deadline = System.nanoTime() + WRITE_LIMIT.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (HistoryRecorder history = HistoryRecorder.to(historyFile)) {
      List<Future<?>> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        RaftkvClient session = client.withNewSession();
        threads.add(pool.submit(() -> {
          for (int k = thread; k < KEYS && System.nanoTime() < deadline; k += THREADS) {
            String key = key(k);
            String tag = tag(k);
            history.invoke(thread, OpType.PUT, key, tag);
            try {
              session.put(key, value(tag));
              history.ok(thread, OpType.PUT, key);
              acknowledged.incrementAndGet();
            } catch (RaftkvException e) {
              history.failed(thread, OpType.PUT, key, e.mayHaveTakenEffect());
            }
          }
          return null;
        }));
      }
      for (Future<?> f : threads) f.get(WRITE_LIMIT.toMillis() + 60_000, TimeUnit.MILLISECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(KEYS, acknowledged.get(), "every put acknowledged within " + WRITE_LIMIT);
    return acknowledged.get();
  }

  /**
   * Reads every key through node {@code id} alone and checks each value whole: linearizable reads
   * recorded in {@code history} (as process {@value #THREADS}), or, without one, the node's own
   * state (serializable).
   */
  private static int readBack(RaftkvClient client, int id, HistoryRecorder history) {
    int read = 0;
    for (int k = 0; k < KEYS; k++) {
      String key = key(k);
      if (history != null) history.invoke(THREADS, OpType.GET, key, null);
      Optional<byte[]> value = client.get(key, history != null ? Consistency.LINEARIZABLE : Consistency.SERIALIZABLE);
      assertTrue(value.isPresent(), "node " + id + " lost " + key);
      if (history != null) history.okGet(THREADS, key, tagOf(value.get()));
      assertArrayEquals(value(tag(k)), value.get(), "node " + id + ": the value of " + key);
      read++;
    }
    return read;
  }

  private static String tagOf(byte[] value) {
    int end = 0;
    while (end < value.length && value[end] != '|') end++;
    return new String(value, 0, end, StandardCharsets.UTF_8);
  }

  private static String key(int k) {
    return "big/" + k;
  }

  private static String tag(int k) {
    return "v" + k;
  }

  /** {@value #VALUE_BYTES} bytes: the tag, a separator, then bytes drawn from a generator seeded by the tag. */
  static byte[] value(String tag) {
    byte[] value = new byte[VALUE_BYTES];
    byte[] head = (tag + "|").getBytes(StandardCharsets.UTF_8);
    new Random(tag.hashCode()).nextBytes(value);
    System.arraycopy(head, 0, value, 0, head.length);
    return value;
  }
}
