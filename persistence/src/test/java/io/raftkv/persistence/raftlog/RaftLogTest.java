package io.raftkv.persistence.raftlog;

import static io.raftkv.persistence.raftlog.RaftLogAssertions.assertSameState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.raftlog.RaftLogEvent.Checkpoint;
import io.raftkv.persistence.raftlog.RaftLogEvent.EntriesAppended;
import io.raftkv.persistence.raftlog.RaftLogEvent.LogTruncated;
import io.raftkv.persistence.raftlog.RaftLogEvent.SnapshotTaken;
import io.raftkv.persistence.raftlog.RaftLogEvent.TermAdvanced;
import io.raftkv.persistence.raftlog.RaftLogEvent.VoteCast;
import io.raftkv.persistence.snapshot.SnapshotRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.PersistentRepr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link RaftLog} actor on the real RocksDB journal and snapshot store: acknowledgements, and
 * recovery in a new ActorSystem on the same directories (as after a process restart).
 */
class RaftLogTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int NODE = 1;

  private final List<ActorTestKit> kits = new ArrayList<>();

  @AfterEach
  void shutdown() {
    kits.forEach(ActorTestKit::shutdownTestKit);
  }

  private ActorTestKit start(Path dataDir) {
    ActorTestKit kit = ActorTestKit.create("raftlog", RaftLogTestConfig.config(dataDir));
    kits.add(kit);
    return kit;
  }

  /** Shuts a system down for good (closing its RocksDB databases) before the next one opens them. */
  private void stop(ActorTestKit kit) {
    kit.shutdownTestKit();
    kits.remove(kit);
  }

  private static RaftLogState load(ActorTestKit kit, ActorRef<RaftLog.Command> log) {
    TestProbe<RaftLog.Reply> probe = kit.createTestProbe();
    log.tell(new RaftLog.Load(probe.ref()));
    return ((RaftLog.Loaded) probe.receiveMessage(TIMEOUT)).state();
  }

  private static LogEntry write(long index, long term) {
    return new LogEntry(index, term, new TestWrite("key-" + index, index * 7));
  }

  @Test
  void batchesAreAcknowledgedInOrder() {
    ActorTestKit kit = start(RaftLogTestConfig.freshDir("raftlog-acks"));
    ActorRef<RaftLog.Command> log = kit.spawn(RaftLog.create(NODE));
    TestProbe<RaftLog.Reply> probe = kit.createTestProbe();

    // All sent at once, as the node does when it coalesces: each must come back, in order.
    log.tell(new RaftLog.Persist(1, List.of(new TermAdvanced(1), new VoteCast(1, NODE)), probe.ref()));
    for (int seq = 2; seq <= 50; seq++) {
      long index = seq - 1;
      LogEntry entry = index == 1 ? new LogEntry(1, 1, Noop.INSTANCE) : write(index, 1);
      log.tell(new RaftLog.Persist(seq, List.of(new EntriesAppended(List.of(entry))), probe.ref()));
    }
    for (int seq = 1; seq <= 50; seq++) {
      assertEquals(new RaftLog.Persisted(seq), probe.receiveMessage(TIMEOUT));
    }

    RaftLogState state = load(kit, log);
    assertEquals(1, state.currentTerm());
    assertEquals(NODE, state.votedFor());
    assertEquals(49, state.lastIndex());
    assertEquals(Noop.INSTANCE, state.entry(1).command());
    assertEquals(write(49, 1), state.entry(49));
    assertEquals(51, PluginProbe.highestSequenceNr(kit.system(), PluginProbe.persistenceId(NODE)), "one journal event per event");
  }

  @Test
  void aRestartedSystemRecoversTermVoteSnapshotAndEntries() {
    Path dir = RaftLogTestConfig.freshDir("raftlog-restart");
    byte[] snapshotBytes = {1, -2, 3, -4, 5};
    List<List<RaftLogEvent>> batches =
        List.of(
            List.of(new TermAdvanced(1), new VoteCast(1, 2)),
            List.of(new EntriesAppended(List.of(new LogEntry(1, 1, Noop.INSTANCE), write(2, 1), write(3, 1)))),
            List.of(new TermAdvanced(3)),
            List.of(new LogTruncated(3), new EntriesAppended(List.of(write(3, 3), write(4, 3)))),
            List.of(new SnapshotTaken(2, 1, snapshotBytes)),
            List.of(new VoteCast(3, 3)));

    ActorTestKit first = start(dir);
    ActorRef<RaftLog.Command> log = first.spawn(RaftLog.create(NODE));
    TestProbe<RaftLog.Reply> probe = first.createTestProbe();
    for (int i = 0; i < batches.size(); i++) log.tell(new RaftLog.Persist(i + 1, batches.get(i), probe.ref()));
    for (int i = 0; i < batches.size(); i++) assertEquals(new RaftLog.Persisted(i + 1), probe.receiveMessage(TIMEOUT));
    RaftLogState before = load(first, log);
    stop(first);

    ActorTestKit second = start(dir);
    RaftLogState after = load(second, second.spawn(RaftLog.create(NODE)));
    assertSameState(before, after);
    assertEquals(3, after.currentTerm());
    assertEquals(3, after.votedFor());
    assertEquals(2, after.snapshotIndex());
    assertEquals(1, after.snapshotTerm());
    assertArrayEquals(snapshotBytes, after.snapshotData());
    assertEquals(List.of(write(3, 3), write(4, 3)), after.entries());
  }

  @Test
  void anotherNodesLogIsSeparate() {
    Path dir = RaftLogTestConfig.freshDir("raftlog-two-nodes");
    ActorTestKit kit = start(dir);
    ActorRef<RaftLog.Command> one = kit.spawn(RaftLog.create(1));
    ActorRef<RaftLog.Command> two = kit.spawn(RaftLog.create(2));
    TestProbe<RaftLog.Reply> probe = kit.createTestProbe();
    one.tell(new RaftLog.Persist(1, List.of(new TermAdvanced(5)), probe.ref()));
    probe.expectMessage(TIMEOUT, new RaftLog.Persisted(1));
    two.tell(new RaftLog.Persist(1, List.of(new TermAdvanced(7)), probe.ref()));
    probe.expectMessage(TIMEOUT, new RaftLog.Persisted(1));
    stop(kit);

    ActorTestKit again = start(dir);
    assertEquals(5, load(again, again.spawn(RaftLog.create(1))).currentTerm());
    assertEquals(7, load(again, again.spawn(RaftLog.create(2))).currentTerm());
    assertEquals(0, load(again, again.spawn(RaftLog.create(3))).currentTerm());
  }

  @Test
  void recoveryStartsAtTheLastCheckpointOnceOlderEventsAreDeleted() {
    Path dir = RaftLogTestConfig.freshDir("raftlog-checkpoints");
    // Batches of 1 to 3 events; every kind of event; a checkpoint (with the entries after its
    // snapshot appended again, as the node writes it) every 5 rounds, but not in the last batch.
    List<List<RaftLogEvent>> batches = new ArrayList<>();
    RaftLogState expected = RaftLogState.empty();
    long lastCheckpointSeq = 0;
    long events = 0;
    for (int round = 1; round <= 20; round++) {
      long term = round;
      long next = expected.lastIndex() + 1;
      List<List<RaftLogEvent>> more = new ArrayList<>();
      List<RaftLogEvent> batch = new ArrayList<>(List.of(new TermAdvanced(term)));
      if (round % 2 == 0) batch.add(new VoteCast(term, round % 3 + 1));
      batch.add(new EntriesAppended(List.of(new LogEntry(next, term, Noop.INSTANCE), write(next + 1, term), write(next + 2, term))));
      more.add(batch);
      if (round % 4 == 0) more.add(List.of(new LogTruncated(next + 2)));
      for (List<RaftLogEvent> b : more) {
        for (RaftLogEvent e : b) expected = expected.apply(e);
      }
      if (round % 5 == 0) {
        SnapshotRef file = new SnapshotRef(next, term, "snapshot-" + next + "-" + term + ".snap", 100, round);
        List<LogEntry> tail = new ArrayList<>();
        for (long i = next + 1; i <= expected.lastIndex(); i++) tail.add(expected.entry(i));
        List<RaftLogEvent> checkpoint = new ArrayList<>(List.of(new Checkpoint(expected.currentTerm(), expected.votedFor(), file)));
        if (!tail.isEmpty()) checkpoint.add(new EntriesAppended(tail));
        for (RaftLogEvent e : checkpoint) expected = expected.apply(e);
        more.add(checkpoint);
      }
      for (List<RaftLogEvent> b : more) {
        if (b.get(0) instanceof Checkpoint) lastCheckpointSeq = events + 1;
        events += b.size();
      }
      batches.addAll(more);
    }
    batches.add(List.of(new TermAdvanced(21)));
    expected = expected.apply(new TermAdvanced(21));
    events++;

    ActorTestKit first = start(dir);
    ActorRef<RaftLog.Command> log = first.spawn(RaftLog.create(NODE));
    TestProbe<RaftLog.Reply> probe = first.createTestProbe();
    for (int i = 0; i < batches.size(); i++) {
      log.tell(new RaftLog.Persist(i + 1, batches.get(i), probe.ref()));
      assertEquals(new RaftLog.Persisted(i + 1), probe.receiveMessage(TIMEOUT));
    }
    assertSameState(expected, load(first, log));
    stop(first);

    ActorTestKit second = start(dir);
    String pid = PluginProbe.persistenceId(NODE);
    // Before the log recovers: the journal holds the last checkpoint and what followed, nothing older.
    List<PersistentRepr> kept = PluginProbe.events(second.system(), pid);
    assertEquals(events, PluginProbe.highestSequenceNr(second.system(), pid));
    assertEquals(lastCheckpointSeq, kept.get(0).sequenceNr(), "the oldest event kept is the last checkpoint");
    assertTrue(kept.get(0).payload() instanceof Checkpoint, () -> "kept first: " + kept.get(0).payload());
    assertTrue(PluginProbe.snapshot(second.system(), pid, Long.MAX_VALUE).isEmpty(), "no Pekko snapshot of the log is taken");

    assertSameState(expected, load(second, second.spawn(RaftLog.create(NODE))));
  }

  @Test
  void anEventThatBreaksAnInvariantStopsTheLogAndIsNotWritten() {
    Path dir = RaftLogTestConfig.freshDir("raftlog-invalid");
    ActorTestKit kit = start(dir);
    ActorRef<RaftLog.Command> log = kit.spawn(RaftLog.create(NODE));
    TestProbe<RaftLog.Reply> probe = kit.createTestProbe();
    log.tell(new RaftLog.Persist(1, List.of(new TermAdvanced(2), new EntriesAppended(List.of(write(1, 2)))), probe.ref()));
    probe.expectMessage(TIMEOUT, new RaftLog.Persisted(1));

    // The second event leaves a hole at index 2: the whole batch is refused before it is written.
    LoggingTestKit.error(IllegalStateException.class)
        .withMessageContains("append at 3 where the log expects 2")
        .expect(
            kit.system(),
            () -> {
              log.tell(new RaftLog.Persist(2, List.of(new TermAdvanced(3), new EntriesAppended(List.of(write(3, 3)))), probe.ref()));
              return null;
            });
    probe.expectTerminated(log, TIMEOUT);
    assertEquals(2, PluginProbe.highestSequenceNr(kit.system(), PluginProbe.persistenceId(NODE)));

    RaftLogState recovered = load(kit, kit.spawn(RaftLog.create(NODE)));
    assertEquals(2, recovered.currentTerm());
    assertEquals(List.of(write(1, 2)), recovered.entries());
  }
}
