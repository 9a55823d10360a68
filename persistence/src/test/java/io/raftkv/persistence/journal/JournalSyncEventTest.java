package io.raftkv.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.raftkv.jfr.JournalSyncEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;

/**
 * {@code raftkv.JournalSync}: while a recording enables it, every open store reports RocksDB's own WAL
 * sync count and latency, which {@code jdk.FileForce} cannot see.
 */
class JournalSyncEventTest {
  private static final String PLUGIN = "raftkv.persistence.journal";
  private static final int WRITES = 20;
  /** Bounds a hang (JFR streams flush about once a second); not a speed test. */
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Test
  void aRecordingGetsTheStoresSyncsAndLatency() throws Exception {
    Path dir = TestConfigs.freshDir("journal-sync").resolve("journal");
    // The store opens first, before any recording of this test: registration then waits for JFR to
    // initialise (or happens at once if an earlier test already started it).
    RocksDbStore store = open(dir, true);
    BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
    try (RecordingStream stream = new RecordingStream()) {
      stream.enable(JournalSyncEvent.class).withPeriod(Duration.ofMillis(100));
      stream.onEvent(JournalSyncEvent.NAME, events::add);
      stream.startAsync();

      long before = RocksDbStore.tickerCount(dir, TickerType.WAL_FILE_SYNCED).orElseThrow();
      for (int i = 0; i < WRITES; i++) {
        try (WriteBatch batch = new WriteBatch()) {
          batch.put(("k" + i).getBytes(StandardCharsets.UTF_8), new byte[100]);
          store.write(batch);
        }
      }
      long after = RocksDbStore.tickerCount(dir, TickerType.WAL_FILE_SYNCED).orElseThrow();
      assertTrue(after - before >= WRITES, "the ticker itself: " + before + " -> " + after);

      RecordedEvent last = awaitEvent(events, dir, after);
      assertEquals(dir.toString(), last.getString("directory"));
      assertTrue(last.getBoolean("fsync"));
      assertEquals(after, last.getLong("walSyncs"), "no writes since the ticker was read");
      long timed = last.getLong("walSyncCount");
      long sumMicros = last.getLong("walSyncMicros");
      long p50 = last.getLong("walSyncP50Micros");
      long p99 = last.getLong("walSyncP99Micros");
      long max = last.getLong("walSyncMaxMicros");
      String figures = "count " + timed + ", sum " + sumMicros + " us, p50 " + p50 + ", p99 " + p99 + ", max " + max;
      assertTrue(timed >= WRITES, "every synced write is timed: " + figures);
      assertTrue(sumMicros > 0 && max > 0, figures);
      assertTrue(p50 <= p99 && p99 <= max && max <= sumMicros, figures);
      assertEquals(Duration.ofNanos(sumMicros * 1_000), last.getDuration("walSyncMicros"), "a timespan in microseconds");
      assertTrue(last.getLong("writes") >= WRITES, "writes " + last.getLong("writes"));
      assertTrue(last.getLong("walBytes") >= WRITES * 100L, "WAL bytes " + last.getLong("walBytes"));
      // JFR has initialised, so the listener has registered the hook: a second registration is refused,
      // else every period would bring two events per store.
      assertFalse(JournalSyncEvents.register(), "registered twice");
    } finally {
      store.close();
    }
  }

  @Test
  void aClosedStoreReportsNothing() {
    Path dir = TestConfigs.freshDir("journal-sync-closed").resolve("journal");
    RocksDbStore store = open(dir, false);
    JournalSyncEvent open;
    try {
      open = store.journalSyncEvent();
    } finally {
      store.close();
    }
    assertNotNull(open);
    assertFalse(open.fsync);
    assertEquals(0, open.walSyncCount, "no write yet, so nothing timed");
    assertNull(store.journalSyncEvent(), "a closed store's statistics are freed");
    assertFalse(RocksDbStore.openStores().contains(store));
  }

  /** Events until one of {@code dir}'s shows {@code walSyncs} of at least {@code syncs}; returns that one. */
  private static RecordedEvent awaitEvent(BlockingQueue<RecordedEvent> events, Path dir, long syncs)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    List<Long> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      RecordedEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (event == null || !dir.toString().equals(event.getString("directory"))) continue;
      seen.add(event.getLong("walSyncs"));
      if (event.getLong("walSyncs") >= syncs) return event;
    }
    throw new AssertionError(
        "no " + JournalSyncEvent.NAME + " event of " + dir + " with walSyncs >= " + syncs + " within " + DEADLINE
            + "; walSyncs seen: " + seen);
  }

  private static RocksDbStore open(Path dir, boolean fsync) {
    return RocksDbStore.open(ConfigFactory.parseMap(Map.of("dir", dir.toString(), "fsync", fsync, "wal-recycle-files", 4,
        "write-buffer-bytes", 4 << 20)), PLUGIN);
  }
}
