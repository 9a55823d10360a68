package io.raftkv.raft.realjournal;

import static io.raftkv.raft.realjournal.RealJournal.POLL;
import static io.raftkv.raft.realjournal.RealJournal.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.raftlog.RaftLog;
import io.raftkv.persistence.raftlog.RaftLogState;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftNode.Applied;
import io.raftkv.raft.RaftObserver;
import io.raftkv.raft.realjournal.RealJournal.RecordingStateMachine;
import io.raftkv.raft.sim.TestCommand;
import io.raftkv.raft.sim.TestResult;
import io.raftkv.raft.TestSnapshotStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A 3-node Raft group on the real RocksDB journal is stopped as a whole (its ActorSystem shut
 * down) and started again on the same directory: every node recovers its term, vote and log, a
 * leader is elected, and every command applied before is applied again, in the same order.
 *
 * <p>The journal plugin is one per ActorSystem, so the three logs share one RocksDB database,
 * each under its own persistence id ({@code raft-log-<nodeId>}).
 */
class RaftNodeRestartTest {
  private static final List<Integer> VOTERS = List.of(1, 2, 3);
  private static final int COMMANDS = 40;
  private static final int EVENTS_PER_PEKKO_SNAPSHOT = 10;
  /** Bounds an election (timeouts of 300-600 ms, perhaps a split vote or two) on a busy machine. */
  private static final Duration ELECTION_DEADLINE = Duration.ofSeconds(20);

  private final List<ActorTestKit> kits = new ArrayList<>();

  @AfterEach
  void shutdown() {
    kits.forEach(ActorTestKit::shutdownTestKit);
  }

  /** The three nodes of one ActorSystem, each with its own durable log and state machine. */
  private final class Group {
    final ActorTestKit kit;
    final Map<Integer, ActorRef<RaftLog.Command>> logs = new TreeMap<>();
    final Map<Integer, ActorRef<RaftNode.Command>> nodes = new TreeMap<>();
    final Map<Integer, RecordingStateMachine> machines = new TreeMap<>();

    private final Path dataDir;

    Group(Path dataDir) {
      this.dataDir = dataDir;
      kit = ActorTestKit.create("raft-restart", RealJournal.config(dataDir));
      kits.add(kit);
      for (int id : VOTERS) logs.put(id, kit.spawn(RaftLog.create(id), "log-" + id));
    }

    /** Starts the nodes (the logs are already there: a test may load them first). */
    void startNodes(long seed) {
      Map<Integer, ActorRef<Object>> relays = new HashMap<>();
      for (int id : VOTERS) relays.put(id, kit.spawn(Relay.create(), "relay-" + id));
      for (int id : VOTERS) {
        Map<Integer, ActorRef<RaftMessage>> peers = new HashMap<>();
        for (int peer : VOTERS) if (peer != id) peers.put(peer, Relay.asPeer(relays.get(peer)));
        RecordingStateMachine machine = new RecordingStateMachine();
        machines.put(id, machine);
        ActorRef<RaftNode.Command> node =
            kit.spawn(
                RaftNode.createWithTicks(
                    RealJournal.settings(id, VOTERS), peers, logs.get(id), machine, TestSnapshotStores.of(dataDir, id),
                    new Random(seed * 31 + id), RaftObserver.NONE),
                "node-" + id);
        nodes.put(id, node);
        relays.get(id).tell(new Relay.Target(node));
      }
    }

    Map<Integer, RaftNode.Status> statuses() {
      Map<Integer, RaftNode.Status> out = new TreeMap<>();
      nodes.forEach((id, node) -> out.put(id, RealJournal.status(kit, node)));
      return out;
    }

    /** Waits until one node leads and the others follow it in its term; returns the leader's id. */
    int awaitLeader() {
      TestProbe<Object> waiter = kit.createTestProbe();
      return waiter.awaitAssert(
          ELECTION_DEADLINE,
          POLL,
          () -> {
            Map<Integer, RaftNode.Status> s = statuses();
            RaftNode.Status leader =
                s.values().stream().filter(st -> st.role() == RaftNode.Role.LEADER).max(Comparator.comparingLong(RaftNode.Status::term))
                    .orElseThrow(() -> new AssertionError("no leader yet: " + s.values()));
            for (RaftNode.Status st : s.values()) {
              assertEquals(leader.term(), st.term(), () -> "not all in the leader's term: " + s.values());
              assertEquals(leader.nodeId(), st.leaderId(), () -> "not all follow the leader: " + s.values());
            }
            return leader.nodeId();
          });
    }

    /** Waits until every node applied through {@code index}, then checks that their state machines agree. */
    void awaitApplied(long index, long checksum) {
      kit.createTestProbe().awaitAssert(
          TIMEOUT,
          POLL,
          () -> {
            Map<Integer, RaftNode.Status> s = statuses();
            for (RaftNode.Status st : s.values()) assertTrue(st.lastApplied() >= index, () -> "not applied through " + index + ": " + s.values());
            return null;
          });
      // Outside the wait: a wrong checksum is a failure, not something to wait out.
      machines.forEach((id, m) -> assertEquals(checksum, m.checksum(), "checksum of node " + id));
    }

    RaftLogState load(int id) {
      TestProbe<RaftLog.Reply> probe = kit.createTestProbe();
      logs.get(id).tell(new RaftLog.Load(probe.ref()));
      return ((RaftLog.Loaded) probe.receiveMessage(TIMEOUT)).state();
    }

    /** Proposes values {@code from..to} to the leader at once; every one must be applied. Returns the replies by index. */
    List<Applied> propose(int leader, long from, long to) {
      TestProbe<RaftNode.ClientReply> replies = kit.createTestProbe();
      for (long v = from; v <= to; v++) nodes.get(leader).tell(new RaftNode.Propose(new TestCommand(v), replies.ref()));
      List<Applied> applied = new ArrayList<>();
      for (long v = from; v <= to; v++) applied.add(assertInstanceOf(Applied.class, replies.receiveMessage(TIMEOUT)));
      applied.sort(Comparator.comparingLong(Applied::index));
      return applied;
    }
  }

  @Test
  void aRestartedGroupRecoversTermVoteAndLogAndAppliesEverythingAgain() {
    Path dataDir = RealJournal.freshDir("raft-restart");

    Group first = new Group(dataDir);
    first.startNodes(1);
    int leader = first.awaitLeader();
    List<Applied> applied = first.propose(leader, 1, COMMANDS);
    long committed = applied.get(applied.size() - 1).index();
    long checksum = ((TestResult) applied.get(applied.size() - 1).result()).checksum();
    for (int i = 1; i < applied.size(); i++) {
      assertEquals(applied.get(i - 1).index() + 1, applied.get(i).index(), "one leader, one term: contiguous indexes");
    }
    first.awaitApplied(committed, checksum);
    // Followers acknowledge only durable entries, but a follower may apply an entry a majority
    // made durable before its own write finished: wait for every node's own log to hold it.
    first.kit.createTestProbe().awaitAssert(TIMEOUT, POLL, () -> {
      for (int id : VOTERS) assertTrue(first.load(id).lastIndex() >= committed, "log of node " + id);
      return null;
    });
    // Stop the nodes, then read their logs: nothing can change the logs after that.
    first.nodes.values().forEach(first.kit::stop);
    Map<Integer, RaftLogState> before = new TreeMap<>();
    for (int id : VOTERS) before.put(id, first.load(id));
    first.kit.shutdownTestKit();
    kits.remove(first.kit);

    Group second = new Group(dataDir);
    for (int id : VOTERS) {
      RaftLogState was = before.get(id);
      RaftLogState now = second.load(id);
      assertEquals(was.currentTerm(), now.currentTerm(), "term of node " + id);
      assertEquals(was.votedFor(), now.votedFor(), "vote of node " + id);
      assertEquals(was.snapshotIndex(), now.snapshotIndex(), "snapshot of node " + id);
      assertArrayEquals(was.snapshotData(), now.snapshotData(), "snapshot of node " + id);
      assertEquals(was.snapshotFile(), now.snapshotFile(), "snapshot file of node " + id);
      assertEquals(was.entries(), now.entries(), "entries of node " + id);
      assertTrue(now.lastIndex() >= committed, "node " + id + " has every committed entry");
    }
    second.startNodes(2);
    // The first statuses after recovery; checked outside the wait, so that a failure is not waited out.
    Map<Integer, RaftNode.Status> recovered = second.kit.createTestProbe().awaitAssert(TIMEOUT, POLL, () -> {
      Map<Integer, RaftNode.Status> s = second.statuses();
      for (RaftNode.Status st : s.values()) assertNotEquals(RaftNode.Role.RECOVERING, st.role(), () -> "still recovering: " + s.values());
      return s;
    });
    for (RaftNode.Status st : recovered.values()) {
      RaftLogState was = before.get(st.nodeId());
      assertTrue(st.term() >= was.currentTerm(), () -> "term went back: " + st + " was " + was);
      // The same term: no election since the restart, so the vote must be the recovered one.
      if (st.term() == was.currentTerm()) assertEquals(was.votedFor(), st.votedFor(), () -> "vote lost: " + st + " was " + was);
      assertTrue(st.lastLogIndex() >= committed, () -> "log lost entries: " + st);
    }

    int newLeader = second.awaitLeader();
    // The new leader's no-op commits everything before it, and each node applies it all again.
    second.awaitApplied(committed + 1, checksum);
    for (Applied a : applied) {
      long expected = ((TestResult) a.result()).checksum();
      second.machines.forEach((id, m) -> assertEquals(expected, m.checksumAt(a.index()), "node " + id + " at index " + a.index()));
    }

    // And the group goes on.
    Applied next = second.propose(newLeader, COMMANDS + 1, COMMANDS + 1).get(0);
    assertTrue(next.index() > committed + 1);
    second.awaitApplied(next.index(), ((TestResult) next.result()).checksum());
  }
}
