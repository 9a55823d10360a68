package io.raftkv.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import io.raftkv.persistence.testing.KilledChild;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/**
 * A JVM persisting through the RocksDB journal is killed with SIGKILL mid-stream; every sequence
 * number it saw acknowledged must replay afterwards, with its own event, and with no gap before it.
 *
 * <p>SIGKILL loses the process, not the OS page cache, so this proves that an ack is only sent
 * after the event is in RocksDB's WAL and that recovery from an abandoned database (held lock,
 * unflushed memtable, possibly a half-written last record) brings all of it back. Surviving power
 * loss additionally needs the WAL sync, which {@link RocksDbJournalFsyncTest} counts.
 */
class JournalKillNineTest {
  static final String PERSISTENCE_ID = "kill-nine";

  /** Acknowledgements to see before the kill, so that it lands in the middle of a stream of writes. */
  private static final int ACKS_BEFORE_KILL = 200;
  /** The child stops by itself after this many events, should it never be killed. */
  private static final int CHILD_EVENTS = 100_000;
  /** Bounds JVM start, Pekko start and the first acks on a busy machine; a hang, not a speed test. */
  private static final Duration CHILD_DEADLINE = Duration.ofSeconds(120);
  /** Bounds the in-process recovery. */
  private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void everyAcknowledgedEventReplaysAfterSigkill() throws Exception {
    Path dataDir = TestConfigs.freshDir("kill-nine");
    Files.createDirectories(dataDir);
    List<Long> acked = KilledChild.runUntilKilled(JournalKillNineChild.class, List.of(dataDir.toString(), Integer.toString(CHILD_EVENTS)),
            List.of("-Xmx256m"), dataDir.resolve("child-stderr.txt"), JournalKillNineChild.ACK, ACKS_BEFORE_KILL, CHILD_DEADLINE)
        .stream().map(Long::parseLong).toList();

    for (int i = 0; i < acked.size(); i++) {
      assertEquals(i + 1, acked.get(i), "the child acknowledges 1, 2, 3, ... in order");
    }
    long lastAcked = acked.get(acked.size() - 1);
    List<String> replayed = replay(dataDir);
    assertTrue(
        replayed.size() >= lastAcked,
        "acknowledged up to " + lastAcked + " but only " + replayed.size() + " events replayed");
    for (int seqNr = 1; seqNr <= lastAcked; seqNr++) {
      assertEquals("e-" + seqNr, replayed.get(seqNr - 1), "event " + seqNr + " after replay");
    }
  }

  /** Recovers the child's persistent actor in this JVM, from the same directory. */
  private static List<String> replay(Path dataDir) {
    ActorTestKit kit = ActorTestKit.create(TestConfigs.plugins(dataDir, true));
    try {
      ActorRef<TestEventLog.Command> log = kit.spawn(TestEventLog.create(PERSISTENCE_ID));
      TestProbe<List<String>> probe = kit.createTestProbe();
      log.tell(new TestEventLog.GetEvents(probe.ref()));
      return probe.receiveMessage(REPLAY_TIMEOUT);
    } finally {
      kit.shutdownTestKit();
    }
  }
}
