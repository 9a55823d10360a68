package io.raftkv.raft.core;

import static io.raftkv.raft.core.CoreHarness.leader;
import static io.raftkv.raft.core.CoreHarness.persistAll;
import static io.raftkv.raft.core.CoreHarness.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.persistence.raftlog.RaftLogState;
import io.raftkv.persistence.snapshot.SnapshotRef;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftMessage.AppendEntries;
import io.raftkv.raft.RaftMessage.AppendEntriesResult;
import io.raftkv.raft.RaftMessage.IncarnationRefused;
import io.raftkv.raft.RaftMessage.RequestVote;
import io.raftkv.raft.RaftMessage.RequestVoteResult;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import io.raftkv.raft.RaftSettings;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The identity rules in the core: a cluster id made by the first leader, and each member's data
 * directory (its incarnation) known to the configuration, so that a wiped directory under an old
 * member's id never counts, in particular never votes twice in a term.
 */
@DisplayName("identity: the cluster id and each member's data directory")
class IdentityTest {
  static final long CLUSTER = 0x77;
  static final List<Integer> VOTERS = List.of(1, 2, 3);

  /** Members 1-3 as voters, each known by incarnation 100 + id. */
  static Configuration registered() {
    return new Configuration(CLUSTER, VOTERS.stream().map(id -> new Member(id, "127.0.0.1", 25520 + id, 8080 + id, 100 + id, true, false)).toList());
  }

  /** Node {@code id} with data directory {@code incarnation}, its snapshot (index 1, term 1) holding {@link #registered()}: committed. */
  static RaftCore recovered(int id, long incarnation) {
    RaftLogState state = RaftLogState.of(1, RaftLogState.NO_VOTE, new SnapshotRef(1, 1, "snap", 100, 7), registered(), List.of());
    return new RaftCore(RaftSettings.defaults(id, VOTERS).withIncarnation(incarnation), state, new Random(id), RaftObserver.NONE);
  }

  static Ready tickUntilSent(RaftCore c, Class<? extends RaftMessage> type) {
    Ready r = Ready.NOTHING;
    for (int i = 0; i < 1_000 && sent(r, type).isEmpty(); i++) r = c.step(Input.Tick.INSTANCE);
    assertFalse(sent(r, type).isEmpty(), "no " + type.getSimpleName() + " within 1,000 ticks");
    return r;
  }

  @Test
  @DisplayName("the first leader's term-start entry is the configuration with a new cluster id, the voters unchanged")
  void theFirstLeaderCreatesTheClusterId() {
    RaftCore l = leader();
    Object first = l.log.entry(1).command();
    Configuration c = assertInstanceOf(Configuration.class, first, "the term-start entry of a cluster's first leader");
    assertNotEquals(0, c.clusterId());
    assertEquals(VOTERS, c.voters());
    assertEquals(c.clusterId(), l.configuration().clusterId());
    assertEquals(c.clusterId(), l.clusterId(), "committed: the id the leader's messages carry");
    assertEquals(1, l.commitIndex(), "no entry beyond the one every new leader appends");
    RaftCore other = CoreHarness.elect(CoreHarness.core(1, 8), List.of(2, 3));
    assertNotEquals(c.clusterId(), other.configuration().clusterId(), "another cluster (another seed) has another id");
  }

  @Test
  @DisplayName("§5.2 one vote per term survives a wiped disk: the vote of a data directory the configuration does not know is not counted")
  void aWipedVotersVoteIsNotCounted() {
    RaftCore c = recovered(1, 101);
    RequestVote preVote = sent(tickUntilSent(c, RequestVote.class), RequestVote.class).get(0);
    assertTrue(preVote.preVote());

    // Node 2's disk was wiped: it forgot everything and grants whatever it is asked.
    Ready refused = c.step(new Input.Message(new RequestVoteResult(preVote.term(), 2, true, true), CLUSTER, 999));
    assertEquals(List.of(new Ready.Outgoing(2, new IncarnationRefused(c.currentTerm(), 1, 2, 1, 102, 999))), refused.messages(),
        "the wiped directory is told it is refused, and why");
    assertTrue(sent(refused, RequestVote.class).isEmpty(), "one pre-vote of two (its own) is no majority: the election did not start");
    assertEquals(1, c.currentTerm());

    Ready counted = c.step(new Input.Message(new RequestVoteResult(preVote.term(), 3, true, true), CLUSTER, 103));
    RequestVote vote = sent(counted, RequestVote.class).get(0);
    assertFalse(vote.preVote(), "node 3's pre-vote counts: the election starts");
    Ready r = persistAll(c, counted);
    for (Ready.Outgoing own : r.messages()) if (own.to() == 1) c.step(Input.Message.own(own.message()));
    c.step(new Input.Message(new RequestVoteResult(vote.term(), 2, true, false), CLUSTER, 999));
    assertEquals(RaftNode.Role.CANDIDATE, c.role(), "the wiped directory's vote would have made a majority; it is not counted");
    c.step(new Input.Message(new RequestVoteResult(vote.term(), 3, true, false), CLUSTER, 103));
    assertEquals(RaftNode.Role.LEADER, c.role());
  }

  @Test
  @DisplayName("a message of another cluster counts for nothing: no term taken from it, no answer")
  void anotherClustersMessageIsIgnored() {
    RaftCore f = recovered(2, 102);
    assertEquals(CLUSTER, f.clusterId());
    AppendEntries ae = new AppendEntries(9, 1, 1, 1, List.of(), 1);
    Ready ignored = f.step(new Input.Message(ae, 0x88, 101));
    assertSame(Ready.NOTHING, ignored);
    assertEquals(1, f.currentTerm(), "the other cluster's term was not taken");
    Ready accepted = f.step(new Input.Message(ae, CLUSTER, 101));
    assertEquals(9, f.currentTerm());
    assertEquals(1, f.leaderId());
    assertNotNull(accepted.persist(), "its own cluster's leader's term is recorded (then answered)");
    RaftCore other = recovered(3, 103);
    other.step(new Input.Message(ae, 0, 101));
    assertEquals(9, other.currentTerm(), "a sender that does not know the cluster id yet (a joining node) is not refused");
  }

  @Test
  @DisplayName("a cluster id counts once its configuration is committed: a first leader's uncommitted one may yet be replaced by another's")
  void onlyACommittedClusterIdCounts() {
    RaftLogState uncommitted = RaftLogState.of(1, RaftLogState.NO_VOTE, 0, 0, null,
        List.of(new LogEntry(1, 1, Configuration.bootstrap(VOTERS).withClusterId(0xA))));
    RaftCore f = new RaftCore(RaftSettings.defaults(2, VOTERS).withIncarnation(102), uncommitted, new Random(2), RaftObserver.NONE);
    assertEquals(0, f.clusterId());
    Configuration other = Configuration.bootstrap(VOTERS).withClusterId(0xB);
    f.step(new Input.Message(new AppendEntries(2, 3, 0, 0, List.of(new LogEntry(1, 2, other)), 1), 0, 103));
    assertEquals(other, f.configuration(), "the other leader's entry replaced the uncommitted one");
    assertEquals(0xB, f.clusterId(), "and, committed, gives the cluster its id");
  }

  @Test
  @DisplayName("a node whose data directory its leader refuses takes no further part; a refusal of another directory, or from a member behind, is ignored")
  void aRefusedNodeStops() {
    RaftCore wiped = CoreHarness.core(RaftSettings.defaults(2, VOTERS).withIncarnation(999), 3);
    wiped.step(new Input.Message(new IncarnationRefused(1, 3, 2, 1, 102, 999)));
    assertNull(wiped.refusal(), "the refuser is not a leader it follows");
    wiped.step(new Input.Message(new AppendEntries(1, 1, 0, 0, List.of(), 0), CLUSTER, 101));
    assertEquals(1, wiped.leaderId());
    wiped.step(new Input.Message(new IncarnationRefused(1, 1, 2, 1, 102, 555)));
    assertNull(wiped.refusal(), "the refusal was of another directory");
    wiped.step(new Input.Message(new IncarnationRefused(1, 1, 2, 1, 102, 999)));
    assertNotNull(wiped.refusal(), "its leader refuses this directory");
    for (int i = 0; i < 1_000; i++) assertSame(Ready.NOTHING, wiped.step(Input.Tick.INSTANCE), "a refused node never campaigns");

    // Node 2 was removed and added again with this directory (999); node 3 has not seen that yet.
    RaftLogState readded = RaftLogState.of(1, RaftLogState.NO_VOTE, 0, 0, null,
        List.of(new LogEntry(1, 1, registered().with(registered().member(2).withIncarnation(999)))));
    RaftCore current = new RaftCore(RaftSettings.defaults(2, VOTERS).withIncarnation(999), readded, new Random(2), RaftObserver.NONE);
    current.step(new Input.Message(new IncarnationRefused(1, 3, 2, 1, 102, 999)));
    assertNull(current.refusal(), "its own configuration lists it under this directory: the refuser is behind");
  }

  @Test
  @DisplayName("a node added again under its id is not stopped by a member behind that still knows its old data directory")
  void aReaddedNodeIgnoresAMemberBehind() {
    // Found by KvMembershipCampaignTest (seed 11046): node 3 was removed, wiped and added again
    // under a new directory as the docs say; node 2, cut off meanwhile, still knew node 3's old
    // directory, refused node 3's answer to its pre-vote, and node 3, not yet caught up to its own
    // adding, took the refusal and stopped for good.
    RaftCore readded = CoreHarness.core(RaftSettings.defaults(3, List.of()).withIncarnation(999), 3);
    Ready granted = readded.step(new Input.Message(new RequestVote(2, 2, 67, 1, true, false), CLUSTER, 102));
    assertEquals(1, sent(granted, RequestVoteResult.class).size(), "an empty log grants the pre-vote");
    readded.step(new Input.Message(new IncarnationRefused(1, 2, 3, 43, 103, 999), CLUSTER, 102));
    assertNull(readded.refusal(), "node 2 is no leader it follows");
    Ready appended = readded.step(new Input.Message(new AppendEntries(3, 1, 0, 0, List.of(), 0), CLUSTER, 101));
    assertTrue(appended != Ready.NOTHING, "it still takes part");
    assertEquals(1, readded.leaderId(), "and follows the leader, from which it learns its adding");
  }

  @Test
  @DisplayName("§5.4.1 a node added again under its id grants no vote before it holds its own adding: a candidate knowing the id by id only would count it as the old member's")
  void aReaddedNodeGrantsNoVoteBeforeItsAdding() {
    // Found by KvMembershipCampaignTest (seed 20389, Leader Completeness): node 2 came up with an
    // empty disk and the bootstrap file, knowing node 1 by id only; node 1, removed, wiped and
    // added again but sent nothing yet, granted it its vote with an empty log; node 2 counted it
    // as the old node 1's and led term 9 without any committed entry.
    RaftCore readded = CoreHarness.core(RaftSettings.defaults(1, List.of()).withIncarnation(999), 1);
    Ready preVote = readded.step(new Input.Message(new RequestVote(9, 2, 0, 0, true, false), 0, 102));
    assertEquals(List.of(new Ready.Outgoing(2, new RequestVoteResult(0, 1, false, true))), preVote.messages(), "no pre-vote");
    Ready vote = persistAll(readded, readded.step(new Input.Message(new RequestVote(9, 2, 0, 0, false, false), 0, 102)));
    assertEquals(List.of(new Ready.Outgoing(2, new RequestVoteResult(9, 1, false, false))), vote.messages(), "no vote");

    // The leader sends it the configuration that added it under this directory: from then on it votes.
    Configuration adding = registered().with(new Member(1, "127.0.0.1", 25521, 8081, 999, false, true));
    persistAll(readded, readded.step(new Input.Message(new AppendEntries(10, 3, 0, 0, List.of(new LogEntry(1, 10, adding)), 1), CLUSTER, 103)));
    // (A hand-over's vote request, which the leader's lease (§9.6) does not hold off.)
    Ready later = persistAll(readded, readded.step(new Input.Message(new RequestVote(11, 2, 1, 10, false, true), CLUSTER, 102)));
    assertEquals(List.of(new Ready.Outgoing(2, new RequestVoteResult(11, 1, true, false))), later.messages());
  }

  @Test
  @DisplayName("a member behind follows a leader that was removed and added again under a new data directory, and so learns that configuration")
  void aMemberBehindFollowsAReaddedLeader() {
    // Found by KvMembershipCampaignTest (seed 11039): node 2 missed node 3's removal and re-adding;
    // its configuration still knew node 3 by its old directory, so it refused every append of
    // node 3, leader since, and never learned the configuration that would have let it in.
    RaftCore behind = recovered(2, 102);
    Configuration readded = registered().with(registered().member(3).withIncarnation(999));
    AppendEntries ae = new AppendEntries(5, 3, 1, 1, List.of(new LogEntry(2, 5, readded)), 2);
    Ready r = persistAll(behind, behind.step(new Input.Message(ae, CLUSTER, 999)));
    assertEquals(5, behind.currentTerm());
    assertEquals(3, behind.leaderId());
    assertEquals(999, behind.configuration().member(3).incarnation(), "it learned the configuration that holds node 3's new directory");
    assertEquals(List.of(new Ready.Outgoing(3, new AppendEntriesResult(5, 2, true, 2, 0, 0))), r.messages(),
        "it answers the leader, and refuses nothing");

    RaftCore voter = recovered(2, 102);
    Ready vote = voter.step(new Input.Message(new RequestVote(5, 3, 9, 4, false, false), CLUSTER, 999));
    assertEquals(1, sent(vote, IncarnationRefused.class).size(), "a vote asked from a directory its configuration does not know is still refused");
    assertEquals(1, voter.currentTerm());
  }

  @Test
  @DisplayName("the leader records the incarnations of the bootstrap file's members once it hears from them, then refuses other directories under their ids")
  void theLeaderRecordsIncarnations() {
    RaftCore l = leader();
    assertEquals(0, l.configuration().member(2).incarnation(), "the bootstrap file knows members by id only");
    l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), 2, true, l.lastIndex(), 0, 0), l.configuration().clusterId(), 202));
    l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), 3, true, l.lastIndex(), 0, 0), l.configuration().clusterId(), 203));
    long before = l.lastIndex();
    Ready r = l.step(Input.Tick.INSTANCE);
    assertEquals(before + 1, l.lastIndex(), "one entry records both");
    assertEquals(202, l.configuration().member(2).incarnation());
    assertEquals(203, l.configuration().member(3).incarnation());
    assertEquals(0, l.configuration().member(1).incarnation(), "the leader runs without a data directory id here: nothing to record");
    assertEquals(l.configuration().voters(), VOTERS, "a registration changes no quorum");
    persistAll(l, r);

    Ready refused = l.step(new Input.Message(new AppendEntriesResult(l.currentTerm(), 2, true, l.lastIndex(), 0, 0), l.configuration().clusterId(), 999));
    assertEquals(1, sent(refused, IncarnationRefused.class).size(), "node 2's id from another data directory is refused");
    assertEquals(before, l.commitIndex(), "and its acknowledgement did not count toward the registration's commit");
  }

  @Test
  @DisplayName("a leader with a data directory records its own incarnation too")
  void theLeaderRecordsItsOwnIncarnation() {
    RaftCore l = CoreHarness.elect(CoreHarness.core(RaftSettings.defaults(1, VOTERS).withIncarnation(201), 7), List.of(2, 3));
    l.step(Input.Tick.INSTANCE);
    assertEquals(201, l.configuration().member(1).incarnation());
  }

  @Test
  @DisplayName("§4.1 adding an id the configuration holds under another data directory is refused: remove it first")
  void addingAWipedMemberIsRefused() {
    Configuration c = registered();
    Member again = new Member(2, "127.0.0.1", 25522, 8082, 999, false, true);
    MembershipRules.Outcome o = MembershipRules.decide(c, new ConfigurationChange.Add(again), 1, java.util.Set.of(1, 2, 3));
    String reason = assertInstanceOf(MembershipRules.Refused.class, o).reason();
    assertTrue(reason.contains("another data directory") && reason.contains("raftkv member remove 2"), reason);
    MembershipRules.Outcome same = MembershipRules.decide(c, new ConfigurationChange.Add(again.withIncarnation(102)), 1, java.util.Set.of(1, 2, 3));
    assertTrue(assertInstanceOf(MembershipRules.Refused.class, same).reason().contains("is a member already"));
  }
}
