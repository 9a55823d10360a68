package io.raftkv.persistence.journal;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
  /** Bounds waiting for the killed child to be reaped and its stdout to close. */
  private static final Duration REAP_DEADLINE = Duration.ofSeconds(30);
  /** Bounds the in-process recovery. */
  private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(30);
  /** Exit value Java reports for a process killed by signal 9 (128 + 9). */
  private static final int KILLED_BY_SIGKILL = 137;

  private static final String EOF = "\u0000end of child stdout";

  @Test
  void everyAcknowledgedEventReplaysAfterSigkill() throws Exception {
    Path dataDir = TestConfigs.freshDir("kill-nine");
    Files.createDirectories(dataDir);
    Path childStderr = dataDir.resolve("child-stderr.txt");
    Process child =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                JournalKillNineChild.class.getName(),
                dataDir.toString(),
                Integer.toString(CHILD_EVENTS))
            .redirectError(childStderr.toFile())
            .start();
    BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    Thread pump = new Thread(() -> pump(child, stdout), "kill-nine-child-stdout");
    pump.setDaemon(true);
    pump.start();

    List<Long> acked = new ArrayList<>();
    try {
      Instant deadline = Instant.now().plus(CHILD_DEADLINE);
      while (acked.size() < ACKS_BEFORE_KILL) {
        String line = stdout.poll(millisUntil(deadline), MILLISECONDS);
        if (line == null || line.equals(EOF)) {
          String why = line == null ? "deadline " + CHILD_DEADLINE + " passed" : "child exited";
          fail(
              why + " after " + acked.size() + " of " + ACKS_BEFORE_KILL + " acks; child stderr:\n"
                  + Files.readString(childStderr));
        }
        collectAck(line, acked);
      }
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux
    }

    assertTrue(child.waitFor(REAP_DEADLINE.toMillis(), MILLISECONDS), "killed child not reaped");
    assertEquals(KILLED_BY_SIGKILL, child.exitValue(), "the child must die by SIGKILL");
    // Whatever is still in the pipe was printed before the kill: acknowledgements too.
    Instant deadline = Instant.now().plus(REAP_DEADLINE);
    for (String line; !EOF.equals(line = stdout.poll(millisUntil(deadline), MILLISECONDS)); ) {
      if (line == null) fail("child stdout did not close after the kill");
      collectAck(line, acked);
    }

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

  /** Lines that are not acks (a log line, say) are ignored. */
  private static void collectAck(String line, List<Long> acked) {
    if (line.startsWith(JournalKillNineChild.ACK)) {
      acked.add(Long.parseLong(line.substring(JournalKillNineChild.ACK.length()).trim()));
    }
  }

  private static void pump(Process child, BlockingQueue<String> lines) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) lines.add(line);
    } catch (IOException e) {
      // The stream is closed under us when the child dies; EOF below says so either way.
    } finally {
      lines.add(EOF);
    }
  }

  private static long millisUntil(Instant deadline) {
    return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
  }
}
