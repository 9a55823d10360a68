package io.raftkv.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.raftlog.RaftLogState;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftMessage.AppendEntries;
import io.raftkv.raft.RaftMessage.AppendEntriesResult;
import io.raftkv.raft.RaftMessage.RequestVote;
import io.raftkv.raft.RaftMessage.RequestVoteResult;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import io.raftkv.raft.RaftSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Drives one {@link RaftCore} by hand in the core's tests: its peers are played by the test. */
final class CoreHarness {
  static final List<Integer> VOTERS = List.of(1, 2, 3);

  private CoreHarness() {}

  static RaftCore core(int id, long seed) {
    return core(RaftSettings.defaults(id, VOTERS), seed);
  }

  static RaftCore core(RaftSettings settings, long seed) {
    return new RaftCore(settings, RaftLogState.empty(), new Random(seed), RaftObserver.NONE);
  }

  static <M extends RaftMessage> List<M> sent(Ready ready, Class<M> type) {
    List<M> out = new ArrayList<>();
    for (Ready.Outgoing o : ready.messages()) if (type.isInstance(o.message())) out.add(type.cast(o.message()));
    return out;
  }

  static List<Integer> recipients(Ready ready, Class<? extends RaftMessage> type) {
    return ready.messages().stream().filter(o -> type.isInstance(o.message())).map(Ready.Outgoing::to).toList();
  }

  /** Node 1 of {@link #VOTERS} with the default settings, made leader by {@link #elect}. */
  static RaftCore leader() {
    return elect(core(1, 7), List.of(2, 3));
  }

  /**
   * Ticks {@code c} until it stands, grants it the votes of {@code voters} (pre-vote first),
   * persists what it records, and has {@code voters} acknowledge its no-op: a leader with a
   * committed entry of its term, replicating to them in a pipeline.
   */
  static RaftCore elect(RaftCore c, List<Integer> voters) {
    Ready r = Ready.NOTHING;
    for (int i = 0; i < 1_000 && sent(r, RequestVote.class).isEmpty(); i++) r = c.step(Input.Tick.INSTANCE);
    RequestVote preVote = sent(r, RequestVote.class).get(0);
    assertTrue(preVote.preVote(), "pre-vote is on by default: the first round changes no term");
    for (int v : voters) {
      if (c.role() == RaftNode.Role.CANDIDATE && c.currentTerm() < preVote.term()) r = c.step(new Input.Message(new RequestVoteResult(preVote.term(), v, true, true)));
    }
    RequestVote vote = sent(r, RequestVote.class).get(0);
    assertFalse(vote.preVote());
    assertNotNull(r.persist(), "the candidate's new term and its own vote are recorded");
    r = c.step(new Input.Persisted(r.persist().batch()));
    List<Ready.Outgoing> own = r.messages().stream().filter(o -> o.to() == c.status().nodeId()).toList();
    assertEquals(1, own.size(), "its own vote comes back to itself once durable: " + r);
    r = c.step(Input.Message.own(own.get(0).message()));
    for (int v : voters) {
      if (c.role() != RaftNode.Role.LEADER) r = c.step(new Input.Message(new RequestVoteResult(vote.term(), v, true, false)));
    }
    assertEquals(RaftNode.Role.LEADER, c.role());
    assertFalse(sent(r, AppendEntries.class).isEmpty(), "a new leader appends its no-op and sends it at once");
    if (r.persist() != null) c.step(new Input.Persisted(r.persist().batch()));
    for (int v : voters) c.step(new Input.Message(new AppendEntriesResult(c.currentTerm(), v, true, c.lastIndex(), 0, 0)));
    assertEquals(c.lastIndex(), c.commitIndex(), "the no-op of the new term commits");
    return c;
  }

  /** Persists whatever batch {@code r} started, and every batch that follows while the core keeps starting one. */
  static Ready persistAll(RaftCore c, Ready r) {
    Ready last = r;
    for (int i = 0; i < 100 && last.persist() != null; i++) last = c.step(new Input.Persisted(last.persist().batch()));
    return last;
  }
}
