package io.raftkv.raft.realjournal;

import static io.raftkv.raft.realjournal.RealJournal.POLL;
import static io.raftkv.raft.realjournal.RealJournal.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.raftlog.RaftLog;
import io.raftkv.persistence.testing.KilledChild;
import io.raftkv.persistence.raftlog.RaftLogState;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import io.raftkv.raft.TestSnapshotStores;
import io.raftkv.raft.realjournal.RealJournal.RecordingStateMachine;
import io.raftkv.raft.sim.TestCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
  private static final Duration ELECTION_DEADLINE = Duration.ofSeconds(20);

  private record Ack(long index, long value, long checksum) {}

  @Test
  void everyAppliedCommandSurvivesSigkill() throws Exception {
    Path dataDir = RealJournal.freshDir("raft-kill-nine");
    Files.createDirectories(dataDir);
    List<Ack> acked = new ArrayList<>();
    for (String line : KilledChild.runUntilKilled(RaftNodeKillNineChild.class, List.of(dataDir.toString(), Integer.toString(CHILD_COMMANDS)),
        List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), // a short-lived JVM: start fast rather than peak fast
        dataDir.resolve("child-stderr.txt"), RaftNodeKillNineChild.APPLIED, ACKS_BEFORE_KILL, CHILD_DEADLINE)) {
      String[] f = line.split(" ");
      acked.add(new Ack(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
    }
    // Answers may be printed out of order (each comes through its own ask), but one proposer
    // talking to one leader in one term gets increasing indexes for increasing values.
    acked.sort(Comparator.comparingLong(Ack::value));
    for (int i = 1; i < acked.size(); i++) {
      assertTrue(acked.get(i - 1).value() < acked.get(i).value(), "a command acknowledged twice: " + acked.get(i));
      assertTrue(acked.get(i - 1).index() < acked.get(i).index(), "indexes follow the proposals: " + acked.get(i - 1) + ", " + acked.get(i));
    }
    ActorTestKit kit = ActorTestKit.create("raft-kill-nine", RealJournal.config(dataDir));
    try {
      recoverAndCheck(kit, acked, dataDir);
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** Recovers the child's log and node in this JVM, from the same directory, and checks every acknowledged command. */
  private static void recoverAndCheck(ActorTestKit kit, List<Ack> acked, Path dataDir) {
    Ack last = acked.get(acked.size() - 1);
    ActorRef<RaftLog.Command> log =
        kit.spawn(RaftLog.create(RaftNodeKillNineChild.NODE), "log");
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
                TestSnapshotStores.of(dataDir, RaftNodeKillNineChild.NODE),
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
}
