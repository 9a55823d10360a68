package io.raftkv.raft.realjournal;

import static io.raftkv.raft.realjournal.RealJournal.POLL;
import static io.raftkv.raft.realjournal.RealJournal.TIMEOUT;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftkv.persistence.raftlog.RaftLog;
import io.raftkv.persistence.raftlog.RaftLogState;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import io.raftkv.raft.realjournal.RealJournal.RecordingStateMachine;
import io.raftkv.raft.sim.TestCommand;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/**
 * A JVM running a single-node Raft group on the RocksDB journal is killed with SIGKILL while it
 * commits a stream of commands. A single-node group commits on its own durability alone, so every
 * command it acknowledged as applied must be in the log the node recovers, at the same index, and
 * the recovered node must apply the same commands in the same order (same checksums).
 */
class RaftNodeKillNineTest {
  /** Acknowledgements to see before the kill, so that it lands in the middle of a stream of commits. */
  private static final int ACKS_BEFORE_KILL = 150;
  /** The child stops by itself after this many commands, should it never be killed (below snapshot-entries-max: no Raft snapshot). */
  private static final int CHILD_COMMANDS = 5_000;
  /** Bounds JVM start, Pekko start, the first election and the first acks on a busy machine; a hang, not a speed test. */
  private static final Duration CHILD_DEADLINE = Duration.ofSeconds(120);
  private static final Duration REAP_DEADLINE = Duration.ofSeconds(30);
  /** Exit value Java reports for a process killed by signal 9 (128 + 9). */
  private static final int KILLED_BY_SIGKILL = 137;
  private static final Duration ELECTION_DEADLINE = Duration.ofSeconds(20);

  private static final String EOF = "\u0000end of child stdout";

  private record Ack(long index, long value, long checksum) {}

  @Test
  void everyAppliedCommandSurvivesSigkill() throws Exception {
    Path dataDir = RealJournal.freshDir("raft-kill-nine");
    Files.createDirectories(dataDir);
    Path childStderr = dataDir.resolve("child-stderr.txt");
    Process child =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1", // a short-lived JVM: start fast rather than peak fast
                "-cp",
                System.getProperty("java.class.path"),
                RaftNodeKillNineChild.class.getName(),
                dataDir.toString(),
                Integer.toString(CHILD_COMMANDS))
            .redirectError(childStderr.toFile())
            .start();
    List<Ack> acked;
    try {
      acked = ackedUntilKilled(child, childStderr);
    } finally {
      child.destroyForcibly(); // never leave it running, whatever failed
    }
    ActorTestKit kit = ActorTestKit.create("raft-kill-nine", RealJournal.config(dataDir));
    try {
      recoverAndCheck(kit, acked);
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** Reads the child's acknowledgements, kills it after {@link #ACKS_BEFORE_KILL}, and returns all it printed. */
  private static List<Ack> ackedUntilKilled(Process child, Path childStderr) throws Exception {
    BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    Thread pump = new Thread(() -> pump(child, stdout), "raft-kill-nine-child-stdout");
    pump.setDaemon(true);
    pump.start();

    List<Ack> acked = new ArrayList<>();
    try {
      Instant deadline = Instant.now().plus(CHILD_DEADLINE);
      while (acked.size() < ACKS_BEFORE_KILL) {
        String line = stdout.poll(millisUntil(deadline), MILLISECONDS);
        if (line == null || line.equals(EOF)) {
          String why = line == null ? "deadline " + CHILD_DEADLINE + " passed" : "child exited";
          fail(why + " after " + acked.size() + " of " + ACKS_BEFORE_KILL + " acks; child stderr:\n" + Files.readString(childStderr));
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
    // Answers may be printed out of order (each comes through its own ask), but one proposer
    // talking to one leader in one term gets increasing indexes for increasing values.
    acked.sort(Comparator.comparingLong(Ack::value));
    for (int i = 1; i < acked.size(); i++) {
      assertTrue(acked.get(i - 1).value() < acked.get(i).value(), "a command acknowledged twice: " + acked.get(i));
      assertTrue(acked.get(i - 1).index() < acked.get(i).index(), "indexes follow the proposals: " + acked.get(i - 1) + ", " + acked.get(i));
    }
    return acked;
  }

  /** Recovers the child's log and node in this JVM, from the same directory, and checks every acknowledged command. */
  private static void recoverAndCheck(ActorTestKit kit, List<Ack> acked) {
    Ack last = acked.get(acked.size() - 1);
    ActorRef<RaftLog.Command> log =
        kit.spawn(RaftLog.create(RaftNodeKillNineChild.NODE, RaftNodeKillNineChild.EVENTS_PER_PEKKO_SNAPSHOT), "log");
    TestProbe<RaftLog.Reply> loaded = kit.createTestProbe();
    log.tell(new RaftLog.Load(loaded.ref()));
    RaftLogState recovered = ((RaftLog.Loaded) loaded.receiveMessage(TIMEOUT)).state();
    assertTrue(
        recovered.lastIndex() >= last.index(),
        "acknowledged through index " + last.index() + " but the recovered log ends at " + recovered.lastIndex());
    for (Ack ack : acked) {
      assertEquals(new TestCommand(ack.value()), recovered.entry(ack.index()).command(), "entry " + ack.index());
    }

    // The node on the recovered log: it leads again, and its new no-op commits everything before it.
    RecordingStateMachine machine = new RecordingStateMachine();
    ActorRef<RaftNode.Command> node =
        kit.spawn(
            RaftNode.createWithTicks(
                RealJournal.settings(RaftNodeKillNineChild.NODE, RaftNodeKillNineChild.VOTERS),
                Map.of(),
                log,
                machine,
                new Random(2),
                RaftObserver.NONE),
            "node");
    RaftNode.Status status =
        kit.createTestProbe().awaitAssert(ELECTION_DEADLINE, POLL, () -> {
          RaftNode.Status s = RealJournal.status(kit, node);
          assertEquals(RaftNode.Role.LEADER, s.role(), () -> "not leading yet: " + s);
          assertTrue(s.lastApplied() > recovered.lastIndex(), () -> "not applied through the new no-op: " + s);
          return s;
        });
    assertTrue(status.term() > recovered.currentTerm(), "a new term after the restart: " + status);
    for (Ack ack : acked) {
      assertEquals(ack.checksum(), machine.checksumAt(ack.index()), "checksum after index " + ack.index());
    }
  }

  /** Lines that are not acks (a log line, say) are ignored. */
  private static void collectAck(String line, List<Ack> acked) {
    if (line.startsWith(RaftNodeKillNineChild.APPLIED)) {
      String[] f = line.substring(RaftNodeKillNineChild.APPLIED.length()).trim().split(" ");
      acked.add(new Ack(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
    }
  }

  private static void pump(Process child, BlockingQueue<String> lines) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
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
