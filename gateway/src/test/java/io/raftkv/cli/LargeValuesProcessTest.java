package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.CasResult;
import io.raftkv.client.Consistency;
import io.raftkv.client.KvEntry;
import io.raftkv.client.RaftkvClient;
import io.raftkv.client.RaftkvRejectedException;
import io.raftkv.client.ScanResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values up to the shipped {@code raftkv.kv.value-bytes-max} (1.5 MiB) between three real node JVMs
 * over Artery: written through one follower (its gateway forwards them to the leader) and read back
 * through the other (a linearizable read: the value comes back from the leader), byte for byte; a
 * scan over 1 MiB values paged by the 4 MiB bound on one answer; and a follower frozen while about
 * 40 MB of 64 KiB-1 MiB values are written, which then catches up through AppendEntries of those
 * entries (snapshots are kept out of the way), and again while 3000 values of 1 KiB are written. No
 * node may drop a message as oversized. One cluster for the class; each test prints what it measured.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LargeValuesProcessTest {
  private static final int VALUE_BYTES_MAX = 1536 * 1024; // the shipped raftkv.kv.value-bytes-max
  private static final int MIB = 1 << 20;
  private static final long SEED = 1_536L;
  private static final Duration ELECTION_LIMIT = Duration.ofSeconds(30);
  private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(120);
  /** Catch-up must go through AppendEntries of the large entries, not a snapshot: no node compacts in this test. */
  private static final String SETTINGS = "raftkv.raft.snapshot-entries-max = 1000000\n"
      + "raftkv.raft.snapshot-log-bytes-min = 1 GiB\nraftkv.raft.snapshot-log-bytes-max = 1 GiB";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path dir; // a failed run keeps its node logs
  private ProcessCluster cluster;
  private final Random random = new Random(SEED);

  @BeforeAll
  void up() throws Exception {
    cluster = ProcessCluster.create(dir, 3, SETTINGS);
    cluster.up();
  }

  @AfterAll
  void down() {
    if (cluster != null) cluster.down();
  }

  /** After each test: no node logged a message dropped for its size (Artery's OversizedPayloadException). */
  @AfterEach
  void noMessageWasDroppedForItsSize() throws Exception {
    for (int id : cluster.ids()) {
      String log = Files.readString(cluster.local.logFile(id), StandardCharsets.UTF_8);
      assertFalse(log.contains("OversizedPayload") || log.contains("oversized payload"), "node " + id + " dropped a message as oversized: see "
          + cluster.local.logFile(id));
    }
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private int leader() {
    return cluster.awaitLeader(ELECTION_LIMIT, 1, 2, 3);
  }

  private static int otherThan(int... ids) {
    return IntStream.rangeClosed(1, 3).filter(id -> IntStream.of(ids).noneMatch(x -> x == id)).findFirst().orElseThrow();
  }

  private void assertFollower(int id) {
    assertEquals("FOLLOWER", cluster.status(id).orElseThrow().get("role").asText(), "node " + id + " should still follow");
  }

  private static String hex(byte[] value) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
  }

  @Test
  @Order(1)
  void valuesUpToTheLimitGoThroughOneFollowerAndComeBackThroughTheOther() {
    int leader = leader();
    int writer = otherThan(leader);
    int reader = otherThan(leader, writer);
    RaftkvClient viaWriter = cluster.client(writer);
    RaftkvClient viaReader = cluster.client(reader);

    byte[] oneMiB = randomBytes(MIB);
    viaWriter.put("big/1MiB", oneMiB);
    assertArrayEquals(oneMiB, viaReader.get("big/1MiB", Consistency.LINEARIZABLE).orElseThrow());

    // Exactly value-bytes-max, several times: the first one is timed with the rest (JIT, buffers).
    List<Long> putMs = new ArrayList<>();
    byte[] atLimit = null;
    for (int i = 0; i < 8; i++) {
      atLimit = randomBytes(VALUE_BYTES_MAX);
      long start = System.nanoTime();
      viaWriter.put("big/limit", atLimit);
      putMs.add((System.nanoTime() - start) / 1_000_000);
    }
    assertArrayEquals(atLimit, viaReader.get("big/limit", Consistency.LINEARIZABLE).orElseThrow());
    List<Long> leaderPutMs = new ArrayList<>();
    RaftkvClient viaLeader = cluster.client(leader);
    for (int i = 0; i < 8; i++) {
      byte[] v = randomBytes(VALUE_BYTES_MAX);
      long start = System.nanoTime();
      viaLeader.put("big/limit-at-leader", v);
      leaderPutMs.add((System.nanoTime() - start) / 1_000_000);
    }

    // One byte more is refused at the gateway, before anything travels.
    RaftkvRejectedException tooLarge = assertThrows(RaftkvRejectedException.class, () -> viaWriter.put("big/over", randomBytes(VALUE_BYTES_MAX + 1)));
    assertEquals(413, tooLarge.status(), tooLarge.getMessage());

    // A cas through a follower whose new value is 1.5 MiB (its Propose carries it), and a mismatch whose answer carries the 1.5 MiB current value back.
    viaWriter.put("big/cas", "small".getBytes(StandardCharsets.UTF_8));
    byte[] swapped = randomBytes(VALUE_BYTES_MAX);
    assertTrue(viaWriter.cas("big/cas", Optional.of("small".getBytes(StandardCharsets.UTF_8)), swapped) instanceof CasResult.Swapped);
    CasResult mismatch = viaReader.cas("big/cas", Optional.of("other".getBytes(StandardCharsets.UTF_8)), "x".getBytes(StandardCharsets.UTF_8));
    assertTrue(mismatch instanceof CasResult.Mismatch m && Arrays.equals(swapped, m.current().orElseThrow()), "got " + mismatch);

    // The reader's own copy, once it has applied what the leader committed.
    cluster.awaitCaughtUp(reader, cluster.index(leader, "commitIndex"), CATCH_UP_LIMIT);
    assertArrayEquals(atLimit, viaReader.get("big/limit", Consistency.SERIALIZABLE).orElseThrow());
    assertFollower(writer);
    assertFollower(reader);
    System.out.printf("1.5 MiB puts through follower %d (leader %d): %s ms (sorted: %s); through the leader: %s ms%n", writer, leader, putMs,
        putMs.stream().sorted().toList(), leaderPutMs);
  }

  /** 9 values of 1 MiB (9 MiB) under one prefix: an answer holds at most 4 MiB, so the scan takes pages, each forwarded to the leader. */
  @Test
  @Order(2)
  void aScanOverLargeValuesPagesThroughAFollower() {
    int leader = leader();
    int follower = otherThan(leader);
    Map<String, byte[]> written = new LinkedHashMap<>();
    for (int i = 0; i < 9; i++) {
      byte[] v = randomBytes(MIB);
      String key = "scan/" + i;
      cluster.client(leader).put(key, v);
      written.put(key, v);
    }
    RaftkvClient viaFollower = cluster.client(follower);
    ScanResult page = viaFollower.scan("scan/", 100);
    assertTrue(page.truncated(), "9 MiB do not fit one 4 MiB answer");
    assertEquals(3, page.entries().size(), "3 entries of 1 MiB fit 4 MiB, 4 do not");
    ScanResult all = viaFollower.scanAll("scan/", 100);
    assertFalse(all.truncated());
    assertEquals(List.copyOf(written.keySet()), all.entries().stream().map(KvEntry::key).toList());
    for (KvEntry e : all.entries()) assertArrayEquals(written.get(e.key()), e.value(), e.key());
    // The command line pages too.
    CliRun scan = CliRun.of("scan", "--prefix", "scan/", "--limit", "100", "--nodes", cluster.local.layout().member(follower).httpUrl());
    assertEquals(ExitCodes.OK, scan.code(), scan.err());
    assertEquals(9, scan.out().lines().count(), "one line per key");
    assertEquals("", scan.err(), "nothing more follows");
    assertFollower(follower);
  }

  /**
   * A follower frozen (SIGSTOP) while about 40 MB of values of 64 KiB to 1 MiB are written (at most
   * 200 values, within 90 s) comes back and catches up: its applied index reaches the leader's
   * commit index, and every value it holds is the one written (SHA-256). No snapshot is taken
   * anywhere, so the catch-up went through AppendEntries of those entries.
   */
  @Test
  @Order(3)
  void aFollowerFrozenWhileLargeValuesAreWrittenCatchesUpThroughAppendEntries() throws Exception {
    int leader = leader();
    int frozen = otherThan(leader);
    int other = otherThan(leader, frozen);
    RaftkvClient writer = cluster.client(leader, other);
    Map<String, String> digests = new LinkedHashMap<>();
    long bytes = 0;
    long pausedAt = System.nanoTime();
    cluster.pause(frozen);
    long deadline = pausedAt + Duration.ofSeconds(90).toNanos();
    while (bytes < 40L * 1000 * 1000 && digests.size() < 200 && System.nanoTime() < deadline) {
      byte[] v = randomBytes(64 * 1024 + random.nextInt(MIB - 64 * 1024 + 1));
      String key = "catch/" + digests.size();
      writer.put(key, v);
      digests.put(key, hex(v));
      bytes += v.length;
    }
    long writeMs = (System.nanoTime() - pausedAt) / 1_000_000;
    assertTrue(bytes >= 30L * 1000 * 1000, "only " + bytes + " bytes written in " + writeMs + " ms (seed " + SEED + ")");
    leader = cluster.awaitLeader(ELECTION_LIMIT, leader, other);
    long commit = cluster.index(leader, "commitIndex");
    long resumedAt = System.nanoTime();
    cluster.resume(frozen);
    long catchUpMs = cluster.awaitCaughtUp(frozen, commit, CATCH_UP_LIMIT);
    for (int id : cluster.ids()) assertEquals(0, cluster.index(id, "snapshotIndex"), "node " + id + " took a snapshot: catch-up was not by AppendEntries");

    RaftkvClient local = cluster.client(frozen);
    for (Map.Entry<String, String> e : digests.entrySet()) {
      assertEquals(e.getValue(), hex(local.get(e.getKey(), Consistency.SERIALIZABLE).orElseThrow()), "node " + frozen + ", key " + e.getKey());
    }
    long readMs = (System.nanoTime() - resumedAt) / 1_000_000 - catchUpMs;
    StringBuilder direct = new StringBuilder();
    for (int id : cluster.ids()) {
      ProcessCluster.DirectBuffers d = cluster.directBuffers(id);
      direct.append(String.format(" node %d: %d buffers, %.1f MiB;", id, d.count(), d.bytes() / (double) MIB));
    }
    System.out.printf("follower %d frozen while %d values (%.1f MB) were written in %d ms; after SIGCONT it applied index %d in %d ms"
        + " (%.1f MB/s), and its %d values were read back in %d ms. Direct buffers:%s%n", frozen, digests.size(), bytes / 1e6, writeMs,
        commit, catchUpMs, bytes / 1e3 / Math.max(1, catchUpMs), digests.size(), readMs, direct);
  }

  /**
   * Many small values: a follower frozen while 3000 values of 1 KiB are written (4 writers, within
   * 60 s) is sent AppendEntries of 512 entries, about 550 KiB each, twice Artery's default frame of
   * 256 KiB; it catches up, and holds every value.
   */
  @Test
  @Order(4)
  void aFollowerFrozenDuringManySmallWritesCatchesUpThroughFullAppendEntries() throws Exception {
    int leader = leader();
    int frozen = otherThan(leader);
    int other = otherThan(leader, frozen);
    RaftkvClient writer = cluster.client(leader, other);
    int writers = 4;
    int perWriter = 750;
    byte[][] values = new byte[writers * perWriter][];
    for (int i = 0; i < values.length; i++) values[i] = randomBytes(1024);
    long pausedAt = System.nanoTime();
    cluster.pause(frozen);
    long deadline = pausedAt + Duration.ofSeconds(60).toNanos();
    List<Thread> threads = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    for (int w = 0; w < writers; w++) {
      int first = w * perWriter;
      RaftkvClient session = writer.withNewSession();
      Thread t = new Thread(() -> {
        try {
          for (int i = first; i < first + perWriter && System.nanoTime() < deadline; i++) {
            session.put("small/" + i, values[i]);
            written.incrementAndGet();
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join(Duration.ofSeconds(90).toMillis());
    assertTrue(failures.isEmpty(), "writes failed: " + failures);
    assertEquals(values.length, written.get(), "not every write was acknowledged within 60 s");
    long writeMs = (System.nanoTime() - pausedAt) / 1_000_000;
    leader = cluster.awaitLeader(ELECTION_LIMIT, leader, other);
    long commit = cluster.index(leader, "commitIndex");
    cluster.resume(frozen);
    long catchUpMs = cluster.awaitCaughtUp(frozen, commit, CATCH_UP_LIMIT);
    RaftkvClient local = cluster.client(frozen);
    for (int i = 0; i < values.length; i++) {
      assertArrayEquals(values[i], local.get("small/" + i, Consistency.SERIALIZABLE).orElseThrow(), "node " + frozen + ", key small/" + i);
    }
    System.out.printf("follower %d frozen while %d values of 1 KiB were written in %d ms; after SIGCONT it applied index %d in %d ms%n",
        frozen, values.length, writeMs, commit, catchUpMs);
  }
}
