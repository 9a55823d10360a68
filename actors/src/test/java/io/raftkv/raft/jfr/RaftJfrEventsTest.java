package io.raftkv.raft.jfr;

import static io.raftkv.raft.realjournal.RealJournal.POLL;
import static io.raftkv.raft.realjournal.RealJournal.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.jfr.PersistEvent;
import io.raftkv.persistence.journal.TestConfigs;
import io.raftkv.persistence.raftlog.RaftLog;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import io.raftkv.raft.RaftSettings;
import io.raftkv.raft.TestSnapshotStores;
import io.raftkv.raft.realjournal.RealJournal;
import io.raftkv.raft.realjournal.Relay;
import io.raftkv.raft.sim.ChecksumStateMachine;
import io.raftkv.raft.sim.TestCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.Event;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Raft node's flight-recorder events, recorded in-process from a real 3-node group on the
 * RocksDB journal: two nodes elect a leader, take writes (snapshots every few entries) and
 * linearizable reads; the third starts late and catches up by an installed snapshot. The recording
 * is dumped under target/test-data, read back with {@link RecordingFile}, and every event type
 * must be there with plausible fields.
 */
class RaftJfrEventsTest {
  /** Node ids no other test uses, so that events of anything else in this JVM are told apart. */
  private static final List<Integer> VOTERS = List.of(71, 72, 73);
  private static final int LATE = 73;
  private static final int WRITES = 30;
  private static final int READS = 3;
  private static final int SNAPSHOT_ENTRIES_MAX = 8;
  /** Bounds an election (timeouts of 300-600 ms, perhaps a split vote or two) on a busy machine. */
  private static final Duration ELECTION_DEADLINE = Duration.ofSeconds(20);

  private static final List<Class<? extends Event>> EVENTS = List.of(ElectionEvent.class, AppendBatchEvent.class, PersistEvent.class,
      CommitAdvanceEvent.class, ApplyEvent.class, SnapshotEvent.class, ReadIndexEvent.class);

  private ActorTestKit kit;
  private Recording recording;

  @AfterEach
  void shutdown() {
    if (recording != null) recording.close();
    if (kit != null) kit.shutdownTestKit();
  }

  /** The real journal's settings, with a snapshot every {@link #SNAPSHOT_ENTRIES_MAX} entries. */
  private static RaftSettings settings(int id) {
    return new RaftSettings(id, VOTERS, RealJournal.TICK, 30, 60, 5, 5, 512, 1 << 20, 16, SNAPSHOT_ENTRIES_MAX, 64 * 1024, 1L << 30,
        10_000, 10_000, 100_000, true, true, false);
  }

  private Path dataDir;

  @Test
  void aGroupThatElectsWritesReadsAndSnapshotsRecordsEveryRaftEvent() throws IOException {
    dataDir = TestConfigs.freshDir("raft-jfr");
    recording = new Recording();
    recording.setName("raftkv-events-test");
    for (Class<? extends Event> e : EVENTS) recording.enable(e).withThreshold(Duration.ZERO).withoutStackTrace();
    recording.start();

    kit = ActorTestKit.create("raft-jfr", RealJournal.config(dataDir));
    Map<Integer, ActorRef<Object>> relays = new TreeMap<>();
    Map<Integer, ActorRef<RaftLog.Command>> logs = new TreeMap<>();
    Map<Integer, ActorRef<RaftNode.Command>> nodes = new TreeMap<>();
    for (int id : VOTERS) {
      // The late node is down until it starts: nothing sent to it before then arrives (so it must catch up by a snapshot).
      relays.put(id, kit.spawn(id == LATE ? Relay.dropping() : Relay.create(), "relay-" + id));
      logs.put(id, kit.spawn(RaftLog.create(id), "log-" + id));
    }
    for (int id : VOTERS) if (id != LATE) nodes.put(id, startNode(id, relays, logs));

    int leader = awaitLeader(nodes);
    TestProbe<RaftNode.ClientReply> replies = kit.createTestProbe();
    for (long v = 1; v <= WRITES; v++) nodes.get(leader).tell(new RaftNode.Propose(new TestCommand(v), replies.ref()));
    long lastIndex = 0;
    for (int i = 0; i < WRITES; i++) lastIndex = Math.max(lastIndex, assertInstanceOf(RaftNode.Applied.class, replies.receiveMessage(TIMEOUT)).index());
    for (int i = 0; i < READS; i++) nodes.get(leader).tell(new RaftNode.Read(new TestCommand(0), replies.ref()));
    for (int i = 0; i < READS; i++) assertInstanceOf(RaftNode.ReadDone.class, replies.receiveMessage(TIMEOUT));
    // Snapshots are written in the background: wait for the leader's first one to be taken.
    RaftNode.Status leaderStatus = kit.createTestProbe().awaitAssert(TIMEOUT, POLL, () -> {
      RaftNode.Status s = RealJournal.status(kit, nodes.get(leader));
      assertTrue(s.snapshotIndex() > 0, () -> "the leader took no snapshot: " + s);
      return s;
    });

    nodes.put(LATE, startNode(LATE, relays, logs));
    long caughtUp = lastIndex;
    RaftNode.Status late = kit.createTestProbe().awaitAssert(TIMEOUT, POLL, () -> {
      RaftNode.Status s = RealJournal.status(kit, nodes.get(LATE));
      assertTrue(s.lastApplied() >= caughtUp, () -> "the late node has not caught up to " + caughtUp + ": " + s);
      return s;
    });
    assertTrue(late.snapshotIndex() > 0, () -> "the late node caught up without a snapshot: " + late);
    // Every event asserted below was committed on a node's thread before the reply the test waited for.
    recording.stop();

    Path file = dataDir.resolve("raftkv-events.jfr");
    Files.createDirectories(dataDir);
    recording.dump(file);
    Map<String, List<RecordedEvent>> byName = RecordingFile.readAllEvents(file).stream()
        .filter(e -> e.getEventType().getName().startsWith("raftkv."))
        // the journal's periodic statistics are per store, not per node (JournalSyncEventTest covers them)
        .filter(e -> !e.getEventType().getName().equals("raftkv.JournalSync"))
        .filter(e -> VOTERS.contains(e.getInt("nodeId")))
        .collect(Collectors.groupingBy(e -> e.getEventType().getName(), TreeMap::new, Collectors.toList()));

    assertEquals(new TreeSet<>(List.of("raftkv.Election", "raftkv.AppendBatch", "raftkv.Persist", "raftkv.CommitAdvance",
        "raftkv.Apply", "raftkv.Snapshot", "raftkv.ReadIndex")), byName.keySet(), "event types recorded");
    for (List<RecordedEvent> events : byName.values()) {
      for (RecordedEvent e : events) {
        assertEquals(List.of("raftkv", "Raft"), e.getEventType().getCategoryNames(), e.getEventType().getName());
        assertFalse(e.getDuration().isNegative(), e::toString);
      }
    }

    List<RecordedEvent> elections = byName.get("raftkv.Election");
    for (RecordedEvent e : elections) {
      assertTrue(Set.of(ElectionEvent.WON, ElectionEvent.LOST, ElectionEvent.STEPPED_DOWN).contains(e.getString("outcome")), e::toString);
      assertEquals(3, e.getInt("voters"), e::toString);
      assertTrue(e.getLong("term") >= 1, e::toString);
    }
    RecordedEvent won = only(elections, e -> e.getInt("nodeId") == leader && !e.getBoolean("preVote")
        && ElectionEvent.WON.equals(e.getString("outcome")) && e.getLong("term") == leaderStatus.term(), "the leader's won election");
    assertTrue(won.getInt("votes") >= 2, won::toString);
    assertTrue(won.getDuration().compareTo(Duration.ZERO) > 0, () -> "an election waits for its own durable vote: " + won);
    assertTrue(elections.stream().anyMatch(e -> e.getInt("nodeId") == leader && e.getBoolean("preVote")
        && ElectionEvent.WON.equals(e.getString("outcome"))), "the leader's pre-vote round");

    List<RecordedEvent> appends = byName.get("raftkv.AppendBatch");
    for (RecordedEvent e : appends) {
      assertTrue(e.getInt("entries") > 0 && e.getLong("bytes") > 0, e::toString);
      assertTrue(VOTERS.contains(e.getInt("followerId")) && e.getInt("followerId") != e.getInt("nodeId"), e::toString);
      assertTrue(e.getLong("prevLogIndex") >= 0, e::toString);
    }
    assertTrue(sum(appends, "entries", e -> e.getInt("nodeId") == leader && e.getInt("followerId") != LATE) >= WRITES,
        "entries sent to the other early follower");

    List<RecordedEvent> persists = byName.get("raftkv.Persist");
    for (RecordedEvent e : persists) assertTrue(e.getLong("seq") >= 1 && e.getInt("events") >= 1 && e.getInt("entries") >= 0, e::toString);
    assertTrue(sum(persists, "entries", e -> e.getInt("nodeId") == leader) >= WRITES, "entries the leader persisted");
    assertTrue(sum(persists, "bytes", e -> e.getInt("nodeId") == leader) > 0, "bytes the leader persisted");
    assertTrue(persists.stream().allMatch(e -> e.getDuration().compareTo(Duration.ZERO) > 0), "a synced write takes time");

    List<RecordedEvent> commits = byName.get("raftkv.CommitAdvance");
    for (RecordedEvent e : commits) {
      assertTrue(e.getLong("newCommitIndex") > e.getLong("oldCommitIndex"), e::toString);
      assertTrue(e.getLong("term") >= 1, e::toString);
    }
    for (int id : VOTERS) {
      long max = commits.stream().filter(e -> e.getInt("nodeId") == id).mapToLong(e -> e.getLong("newCommitIndex")).max().orElse(0);
      assertTrue(max >= lastIndex, "node " + id + " committed through " + max + ", not " + lastIndex);
    }

    List<RecordedEvent> applies = byName.get("raftkv.Apply");
    for (RecordedEvent e : applies) {
      assertTrue(e.getInt("entries") > 0, e::toString);
      assertEquals(e.getLong("lastIndex") - e.getLong("firstIndex") + 1, e.getInt("entries"), e::toString);
    }
    // The leader applied every entry of its log, once, in order: its apply steps tile 1..n.
    List<RecordedEvent> leaderApplies = applies.stream().filter(e -> e.getInt("nodeId") == leader)
        .sorted(Comparator.comparingLong(e -> e.getLong("firstIndex"))).toList();
    long next = 1;
    for (RecordedEvent e : leaderApplies) {
      assertEquals(next, e.getLong("firstIndex"), e::toString);
      next = e.getLong("lastIndex") + 1;
    }
    assertTrue(next > lastIndex, "the leader's apply steps end at " + (next - 1));
    assertTrue(sum(leaderApplies, "bytes", e -> true) > 0, "bytes the leader applied");

    List<RecordedEvent> snapshots = byName.get("raftkv.Snapshot");
    for (RecordedEvent e : snapshots) {
      assertTrue(e.getLong("bytes") > 0 && e.getLong("lastIncludedIndex") > 0 && e.getLong("lastIncludedTerm") >= 1, e::toString);
    }
    assertTrue(snapshots.stream().anyMatch(e -> e.getInt("nodeId") == leader && SnapshotEvent.TAKEN.equals(e.getString("kind"))),
        "the leader took a snapshot");
    assertTrue(snapshots.stream().anyMatch(e -> e.getInt("nodeId") == LATE && SnapshotEvent.INSTALLED.equals(e.getString("kind"))),
        "the late node installed the leader's snapshot");

    List<RecordedEvent> rounds = byName.get("raftkv.ReadIndex");
    for (RecordedEvent e : rounds) {
      assertEquals(leader, e.getInt("nodeId"), e::toString);
      assertTrue(e.getInt("reads") >= 1 && e.getLong("readIndex") >= 1 && e.getLong("round") >= 1, e::toString);
      assertTrue(e.getDuration().compareTo(Duration.ZERO) > 0, () -> "a round waits for a heartbeat's answer: " + e);
    }
    assertEquals(READS, sum(rounds, "reads", e -> true), "reads confirmed by the rounds");
  }

  private ActorRef<RaftNode.Command> startNode(int id, Map<Integer, ActorRef<Object>> relays, Map<Integer, ActorRef<RaftLog.Command>> logs) {
    Map<Integer, ActorRef<RaftMessage>> peers = new HashMap<>();
    for (int peer : VOTERS) if (peer != id) peers.put(peer, Relay.asPeer(relays.get(peer)));
    ActorRef<RaftNode.Command> node = kit.spawn(RaftNode.createWithTicks(settings(id), peers, logs.get(id), new ChecksumStateMachine(),
        TestSnapshotStores.of(dataDir, id), new Random(id), RaftObserver.NONE), "node-" + id);
    relays.get(id).tell(new Relay.Target(node));
    return node;
  }

  /** Waits until one of {@code nodes} leads and the others follow it in its term; returns the leader's id. */
  private int awaitLeader(Map<Integer, ActorRef<RaftNode.Command>> nodes) {
    return kit.createTestProbe().awaitAssert(ELECTION_DEADLINE, POLL, () -> {
      List<RaftNode.Status> s = new ArrayList<>();
      nodes.values().forEach(n -> s.add(RealJournal.status(kit, n)));
      RaftNode.Status leader = s.stream().filter(st -> st.role() == RaftNode.Role.LEADER).max(Comparator.comparingLong(RaftNode.Status::term))
          .orElseThrow(() -> new AssertionError("no leader yet: " + s));
      for (RaftNode.Status st : s) assertEquals(leader.nodeId(), st.leaderId(), () -> "not all follow the leader: " + s);
      return leader.nodeId();
    });
  }

  private static RecordedEvent only(List<RecordedEvent> events, Predicate<RecordedEvent> p, String what) {
    List<RecordedEvent> found = events.stream().filter(p).toList();
    assertEquals(1, found.size(), () -> what + ": " + found + " among " + events);
    return found.get(0);
  }

  private static long sum(List<RecordedEvent> events, String field, Predicate<RecordedEvent> p) {
    return events.stream().filter(p).mapToLong(e -> ((Number) e.getValue(field)).longValue()).sum();
  }
}
