package io.raftkv.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.rocksdb.TickerType;

/**
 * Every write a persistent actor sees acknowledged has synced the WAL when fsync = on, and none
 * has when fsync = off. Counted by RocksDB's own WAL_FILE_SYNCED ticker, around persists made one
 * at a time (each waits for its ack), so each persist is its own journal write.
 */
class RocksDbJournalFsyncTest {
  private static final int PERSISTS = 50;
  /** Generous: a synced write takes about a millisecond; this only bounds a hang. */
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void withFsyncOnEveryAcknowledgedWriteSyncsTheWal() {
    long syncs = walSyncsDuringPersists(true);
    assertTrue(
        syncs >= PERSISTS,
        "expected at least one WAL sync per acknowledged persist: "
            + syncs
            + " syncs for "
            + PERSISTS
            + " persists");
  }

  @Test
  void withFsyncOffNoWriteSyncsTheWal() {
    assertEquals(0, walSyncsDuringPersists(false), "WAL syncs during " + PERSISTS + " persists");
  }

  /** WAL_FILE_SYNCED ticks while PERSISTS events are persisted and acknowledged one by one. */
  private static long walSyncsDuringPersists(boolean fsync) {
    Path data = TestConfigs.freshDir("fsync-" + (fsync ? "on" : "off"));
    Path journalDir = data.resolve("journal");
    ActorTestKit kit = ActorTestKit.create(TestConfigs.plugins(data, fsync));
    try {
      ActorRef<TestEventLog.Command> log = kit.spawn(TestEventLog.create("fsync-test"));
      TestProbe<Long> acks = kit.createTestProbe();
      // The first persist opens the journal; its open-time syncs are not what is measured.
      log.tell(new TestEventLog.Append(acks.ref()));
      acks.expectMessage(ACK_TIMEOUT, 1L);

      long before = walSynced(journalDir);
      for (long seqNr = 2; seqNr <= PERSISTS + 1; seqNr++) {
        log.tell(new TestEventLog.Append(acks.ref()));
        acks.expectMessage(ACK_TIMEOUT, seqNr);
      }
      return walSynced(journalDir) - before;
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static long walSynced(Path journalDir) {
    return RocksDbStore.tickerCount(journalDir, TickerType.WAL_FILE_SYNCED)
        .orElseThrow(() -> new AssertionError("no journal open in " + journalDir));
  }
}
