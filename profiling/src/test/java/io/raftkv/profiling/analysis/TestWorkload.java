package io.raftkv.profiling.analysis;

import io.raftkv.jfr.JournalSyncEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * What the recordings in the tests hold: CPU burnt in {@link #spin}, allocations in {@link #allocate},
 * contention on a {@link ContendedMonitor}, {@code FileChannel.force} calls, {@code raftkv.TestEvent}s.
 * Every wait is on a condition (thread CPU time, a thread's state), none on a sleep.
 */
final class TestWorkload {
  private TestWorkload() {}

  static final String SPIN_FRAME = TestWorkload.class.getName() + ".spin";
  static final String ALLOCATE_FRAME = TestWorkload.class.getName() + ".allocate";
  static final String EVENT_NAME = "raftkv.TestEvent";
  static final int FORCES = 5;
  static final int[] EVENT_ENTRIES = {1, 2, 3};
  static final long[] EVENT_BYTES = {100, 200, 300};
  static final int CONTENTIONS = 5;

  /** A store with three {@code raftkv.JournalSync} events: cumulative walSyncs, timed syncs, their microseconds. */
  static final String SYNC_DIR = "/test/node-1/journal";
  static final long[][] SYNCS = {{100, 100, 10_000}, {150, 150, 20_000}, {400, 400, 60_000}};
  /** Last event's p50, p99, max in microseconds. */
  static final long[] SYNC_PERCENTILES = {120, 900, 2_000};
  /** A store with one event only: its figures are since it opened. */
  static final String SYNC_ONCE_DIR = "/test/node-1/snapshots";
  static final long[] SYNC_ONCE = {7, 7, 700};
  /** A store closed and opened again between its second and third event: the counters start over. */
  static final String SYNC_REOPENED_DIR = "/test/node-2/journal";
  static final long[][] SYNCS_REOPENED = {{50, 50, 5_000}, {80, 80, 8_000}, {10, 10, 4_000}, {30, 30, 6_000}};

  /** The monitor the tests contend on; its own class so that the report names it. */
  static final class ContendedMonitor {}

  @Name(EVENT_NAME)
  @Label("raftkv test event")
  static final class TestEvent extends Event {
    @Label("entries")
    int entries;

    @Label("bytes")
    long bytes;
  }

  private static final ContendedMonitor MONITOR = new ContendedMonitor();
  private static volatile long sink;

  /** All of it: CPU and allocation until this thread has used {@code cpu} of CPU time, then the rest. */
  static void run(Path dir, Duration cpu) throws IOException, InterruptedException {
    burn(cpu);
    contend(CONTENTIONS);
    force(dir.resolve("forced.bin"), FORCES);
    commitEvents();
    commitJournalSyncs();
  }

  /** Spins (and allocates) until this thread has used {@code cpu} of CPU time, or 60 s have passed. */
  static void burn(Duration cpu) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long until = threads.getCurrentThreadCpuTime() + cpu.toNanos();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (threads.getCurrentThreadCpuTime() < until && System.nanoTime() < deadline) {
      sink += spin(200_000);
      sink += allocate(64);
    }
  }

  static long spin(int rounds) {
    long x = sink;
    for (int i = 0; i < rounds; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      x ^= x >>> 29;
    }
    return x;
  }

  static long allocate(int arrays) {
    long sum = 0;
    for (int i = 0; i < arrays; i++) {
      long[] array = new long[1024];
      array[i] = i;
      sum += array.length + array[i];
    }
    return sum;
  }

  /**
   * {@code rounds} times: this thread holds the monitor, another thread tries to enter it; once that thread is
   * blocked, this one keeps the monitor for 5 ms more (spinning) so the wait is long enough to be sampled.
   */
  static void contend(int rounds) throws InterruptedException {
    for (int round = 0; round < rounds; round++) {
      Thread contender;
      synchronized (MONITOR) {
        contender = new Thread(() -> {
          synchronized (MONITOR) {
            sink++;
          }
        }, "contender-" + round);
        contender.start();
        while (contender.getState() != Thread.State.BLOCKED) {
          Thread.onSpinWait();
        }
        long until = System.nanoTime() + Duration.ofMillis(5).toNanos();
        while (System.nanoTime() < until) {
          sink += spin(1_000);
        }
      }
      contender.join();
    }
  }

  static void force(Path file, int times) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      for (int i = 0; i < times; i++) {
        channel.write(ByteBuffer.wrap(new byte[512]));
        channel.force(false);
      }
    }
  }

  static void commitEvents() {
    for (int i = 0; i < EVENT_ENTRIES.length; i++) {
      TestEvent event = new TestEvent();
      event.begin();
      sink += spin(10_000);
      event.entries = EVENT_ENTRIES[i];
      event.bytes = EVENT_BYTES[i];
      event.end();
      event.commit();
    }
  }

  /** Synthetic {@code raftkv.JournalSync} events, as RocksDbStore's periodic hook would commit them. */
  static void commitJournalSyncs() {
    for (long[] sample : SYNCS) {
      journalSync(SYNC_DIR, sample, SYNC_PERCENTILES);
    }
    journalSync(SYNC_ONCE_DIR, SYNC_ONCE, new long[] {100, 100, 100});
    for (long[] sample : SYNCS_REOPENED) {
      journalSync(SYNC_REOPENED_DIR, sample, new long[] {100, 200, 300});
    }
  }

  private static void journalSync(String dir, long[] sample, long[] percentiles) {
    JournalSyncEvent event = new JournalSyncEvent();
    event.directory = dir;
    event.fsync = true;
    event.walSyncs = sample[0];
    event.walSyncCount = sample[1];
    event.walSyncMicros = sample[2];
    event.walSyncP50Micros = percentiles[0];
    event.walSyncP99Micros = percentiles[1];
    event.walSyncMaxMicros = percentiles[2];
    event.writes = sample[0] + 1;
    event.walBytes = sample[0] * 100;
    event.commit();
  }
}
