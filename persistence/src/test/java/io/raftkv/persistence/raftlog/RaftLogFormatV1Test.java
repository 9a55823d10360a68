package io.raftkv.persistence.raftlog;

import static io.raftkv.persistence.raftlog.RaftLogAssertions.assertSameState;
import static io.raftkv.persistence.raftlog.RaftLogV1Fixture.noop;
import static io.raftkv.persistence.raftlog.RaftLogV1Fixture.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.raftkv.persistence.raftlog.RaftLogEvent.EntriesAppended;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A journal and snapshot store written by format version 1 (committed under {@code
 * src/test/resources/raftlog-v1}, see {@link RaftLogV1FixtureWriter}) are still read, exactly.
 * The expected values are spelled out here rather than recomputed by the current code.
 */
class RaftLogFormatV1Test {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String PID = PluginProbe.persistenceId(RaftLogV1Fixture.NODE_ID);

  private Path dataDir;
  private final List<ActorTestKit> kits = new ArrayList<>();

  @BeforeEach
  void copyFixture() throws IOException, URISyntaxException {
    URL url = RaftLogFormatV1Test.class.getResource(RaftLogV1Fixture.RESOURCE);
    assertNotNull(url, "fixture " + RaftLogV1Fixture.RESOURCE + " on the test classpath");
    Path fixture = Paths.get(url.toURI());
    dataDir = RaftLogTestConfig.freshDir("raftlog-v1");
    for (String db : List.of("journal", "snapshots")) {
      Files.createDirectories(dataDir.resolve(db));
      try (Stream<Path> files = Files.list(fixture.resolve(db))) {
        for (Path file : files.toList()) Files.copy(file, dataDir.resolve(db).resolve(file.getFileName()));
      }
    }
  }

  @AfterEach
  void shutdown() {
    kits.forEach(ActorTestKit::shutdownTestKit);
  }

  private ActorTestKit start() {
    ActorTestKit kit = ActorTestKit.create("raftlog-v1", RaftLogTestConfig.config(dataDir));
    kits.add(kit);
    return kit;
  }

  private static RaftLogState load(ActorTestKit kit, ActorRef<RaftLog.Command> log) {
    TestProbe<RaftLog.Reply> probe = kit.createTestProbe();
    log.tell(new RaftLog.Load(probe.ref()));
    return ((RaftLog.Loaded) probe.receiveMessage(TIMEOUT)).state();
  }

  private static ActorRef<RaftLog.Command> spawnLog(ActorTestKit kit) {
    return kit.spawn(RaftLog.create(RaftLogV1Fixture.NODE_ID));
  }

  @Test
  void recoversTheExactState() {
    RaftLogState s = load(start(), spawnLog(kits.get(0)));
    assertEquals(4, s.currentTerm());
    assertEquals(3, s.votedFor());
    assertEquals(8, s.snapshotIndex());
    assertEquals(3, s.snapshotTerm());
    assertArrayEquals(
        new byte[] {0, 0, 0, 0, 0, 0, 0, 5, 0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF},
        s.snapshotData());
    assertEquals(
        List.of(
            new LogEntry(9, 4, Noop.INSTANCE),
            new LogEntry(10, 4, new TestWrite("h", 8)),
            new LogEntry(11, 4, new TestWrite("i", -9))),
        s.entries());
    assertEquals(11, s.lastIndex());
  }

  @Test
  void everyStoredEventAndSnapshotReadsBackAsWritten() {
    ActorTestKit kit = start();
    List<PersistentRepr> stored = PluginProbe.events(kit.system(), PID);
    List<RaftLogEvent> written = RaftLogV1Fixture.events();
    assertEquals(RaftLogV1Fixture.LAST_SEQUENCE_NR, written.size());
    assertEquals(RaftLogV1Fixture.LAST_SEQUENCE_NR - RaftLogV1Fixture.FIRST_KEPT_SEQUENCE_NR + 1, stored.size());
    for (PersistentRepr repr : stored) {
      assertEquals(PID, repr.persistenceId());
      assertEquals(written.get((int) repr.sequenceNr() - 1), repr.payload(), "event " + repr.sequenceNr());
    }
    assertEquals(RaftLogV1Fixture.FIRST_KEPT_SEQUENCE_NR, stored.get(0).sequenceNr());
    assertEquals(RaftLogV1Fixture.LAST_SEQUENCE_NR, PluginProbe.highestSequenceNr(kit.system(), PID));

    // The latest Pekko snapshot, spelled out; and the older ones are still there.
    SelectedSnapshot latest = PluginProbe.snapshot(kit.system(), PID, Long.MAX_VALUE).orElseThrow();
    assertEquals(15, latest.metadata().sequenceNr());
    RaftLogSnapshot snapshot = assertInstanceOf(RaftLogSnapshot.class, latest.snapshot());
    assertEquals(4, snapshot.currentTerm());
    assertEquals(3, snapshot.votedFor());
    assertEquals(3, snapshot.snapshotIndex());
    assertEquals(1, snapshot.snapshotTerm());
    assertArrayEquals(new byte[] {0, 1, 2, -1, -128, 127}, snapshot.snapshotData());
    assertEquals(
        List.of(noop(4, 2), write(5, 2, "d", 4), noop(6, 3), write(7, 3, "e", 5), write(8, 3, "f", 6), noop(9, 4), write(10, 4, "g", 7)),
        snapshot.entries());
    for (long seqNr : RaftLogV1Fixture.PEKKO_SNAPSHOTS) {
      assertEquals(seqNr, PluginProbe.snapshot(kit.system(), PID, seqNr).orElseThrow().metadata().sequenceNr());
    }
  }

  @Test
  void theRecoveredLogGoesOn() {
    ActorTestKit first = start();
    ActorRef<RaftLog.Command> log = spawnLog(first);
    RaftLogState recovered = load(first, log);
    TestProbe<RaftLog.Reply> probe = first.createTestProbe();
    EntriesAppended more = new EntriesAppended(List.of(new LogEntry(12, 4, new TestWrite("j", 10))));
    log.tell(new RaftLog.Persist(1, List.of(more), probe.ref()));
    probe.expectMessage(TIMEOUT, new RaftLog.Persisted(1));
    first.shutdownTestKit();
    kits.remove(first);

    ActorTestKit second = start();
    assertSameState(recovered.apply(more), load(second, spawnLog(second)));
    assertEquals(RaftLogV1Fixture.LAST_SEQUENCE_NR + 1, PluginProbe.highestSequenceNr(second.system(), PID));
  }
}
