package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.check.WatchChecker;
import io.raftkv.client.RaftkvClient;
import io.raftkv.client.RaftkvException;
import io.raftkv.client.TxnReply;
import io.raftkv.client.Watch;
import io.raftkv.client.WatchEvent;
import io.raftkv.client.WatchListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node JVMs: a watch streams from the leader while writes go on, the leader is killed
 * with SIGKILL, and the watch goes on from another node. The recorded stream, checked against the
 * writes and the revisions they were acknowledged at ({@link WatchChecker}), misses and repeats
 * nothing.
 */
@Tag("slow") // three node JVMs: the slower tier
class WatchResumeProcessTest {
  private static final Duration ELECTION_LIMIT = Duration.ofSeconds(30);
  private static final int WRITES = 300;
  private static final int KILL_AFTER = 100;
  private static final int KEYS = 7;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;
  private ProcessCluster cluster;

  @AfterEach
  void down() {
    if (cluster != null) cluster.down();
  }

  private static String put(String key, String value) {
    return "{\"success\": [{\"op\": \"put\", \"key\": \"" + key + "\", \"value\": \"" + value + "\"}]}";
  }

  @Test
  void aWatchResumesAcrossALeaderKillMissingAndRepeatingNothing() throws Exception {
    cluster = ProcessCluster.create(dir, 3, "");
    cluster.up();
    int leader = cluster.awaitLeader(ELECTION_LIMIT, 1, 2, 3);
    int[] others = IntStream.rangeClosed(1, 3).filter(id -> id != leader).toArray();
    RaftkvClient writer = cluster.client(others[0], others[1], leader);
    long start = writer.txn(put("before", "0")).revision() + 1;

    List<WatchChecker.Revision> stream = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger reconnects = new AtomicInteger();
    WatchListener recorder = new WatchListener() {
      @Override
      public void onRevision(long revision, List<WatchEvent> events) {
        stream.add(new WatchChecker.Revision(revision, events.stream()
            .map(e -> new WatchChecker.Event(e.key(), e.value(), e.version())).toList()));
      }

      @Override
      public void onReconnect(String reason) {
        reconnects.incrementAndGet();
      }
    };
    // The watch streams from the leader first: its death forces the resume.
    List<WatchChecker.Write> writes = new ArrayList<>();
    long lastAcknowledged = 0;
    try (Watch watch = cluster.client(leader, others[0], others[1]).watchPrefix("w/", start, recorder)) {
      for (int i = 0; i < WRITES; i++) {
        if (i == KILL_AFTER) {
          cluster.kill(leader);
        }
        String key = "w/" + (i % KEYS);
        String value = "v" + i;
        try {
          TxnReply reply = writer.txn(put(key, value));
          writes.add(new WatchChecker.Write(key, value.getBytes(StandardCharsets.UTF_8), reply.revision()));
          lastAcknowledged = reply.revision();
        } catch (RaftkvException e) {
          writes.add(new WatchChecker.Write(key, value.getBytes(StandardCharsets.UTF_8), 0)); // outcome unknown
        }
      }
      long last = lastAcknowledged;
      ProcessCluster.await(Duration.ofSeconds(30), () -> "the watch reaches revision " + last + " (at " + watch.nextRevision() + ")",
          () -> watch.nextRevision() > last);
    }
    List<String> violations = WatchChecker.check(start, writes, List.copyOf(stream));
    assertEquals(List.of(), violations);
    assertTrue(reconnects.get() >= 1, "the watch never had to resume");
    long acknowledged = writes.stream().filter(w -> w.revision() > 0).count();
    assertTrue(acknowledged >= WRITES - 5, "only " + acknowledged + " of " + WRITES + " writes acknowledged");
    System.out.printf("watch across a leader kill: %d revisions streamed, %d writes acknowledged, %d reconnects%n",
        stream.size(), acknowledged, reconnects.get());
  }
}
