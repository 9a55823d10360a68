package io.raftkv.raft.sim;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.raft.RaftMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * Messages a misbehaving peer could send: either one the nodes really sent, with fields changed to
 * edge values (off by one, zero, negative, huge), entries dropped, swapped, renumbered or
 * re-termed, a snapshot chunk moved past its file; or one of any type made up from such values.
 * Only values the messages' own constructors accept are produced: those are the only ones a peer
 * can get through deserialization. {@code Removed} comes only from ids that are no voter: a voter's
 * stops the node by design. Seeded: a run is replayed by its seed.
 */
public final class PeerMessageFuzzer {
  private final Random random;
  private final int nodes;
  private long made;
  private long refusedByConstructor;

  public PeerMessageFuzzer(Random random, int nodes) {
    this.random = random;
    this.nodes = nodes;
  }

  /** Messages made so far. */
  public long made() {
    return made;
  }

  /** Attempts whose values a message's constructor refused (never sent: deserialization would refuse them too). */
  public long refusedByConstructor() {
    return refusedByConstructor;
  }

  /** The next message: a mutation of one of {@code sample} (the traffic seen lately) two times in three, else made up. */
  public RaftMessage next(List<RaftMessage> sample) {
    while (true) {
      try {
        RaftMessage m = !sample.isEmpty() && random.nextInt(3) < 2 ? mutate(sample.get(random.nextInt(sample.size())), sample) : madeUp(sample);
        made++;
        return m;
      } catch (IllegalArgumentException | NullPointerException e) {
        refusedByConstructor++;
      }
    }
  }

  // ---- values ----

  /** An edge value, or {@code near} itself three times in five: most mutations change a field or two, and pass the checks further. */
  private long anyLong(long near) {
    return switch (random.nextInt(20)) {
      case 0 -> -1;
      case 1 -> 0;
      case 2 -> near + 1;
      case 3 -> near - 1;
      case 4 -> Long.MAX_VALUE;
      case 5 -> Long.MIN_VALUE;
      case 6 -> near + 1 + random.nextInt(1000);
      case 7 -> random.nextLong();
      default -> near;
    };
  }

  private int anyId() {
    return switch (random.nextInt(8)) {
      case 0 -> 0;
      case 1 -> -1;
      case 2 -> nodes + 1 + random.nextInt(5);
      case 3 -> Integer.MAX_VALUE;
      default -> 1 + random.nextInt(nodes);
    };
  }

  private int idNear(int id) {
    return random.nextInt(3) == 0 ? anyId() : id;
  }

  private long termNear(long term) {
    return random.nextInt(3) == 0 ? anyLong(term) : term;
  }

  private StateMachineCommand anyCommand(List<RaftMessage> sample) {
    for (RaftMessage m : sample) {
      if (m instanceof RaftMessage.AppendEntries a && !a.entries().isEmpty() && random.nextInt(4) == 0) {
        return a.entries().get(random.nextInt(a.entries().size())).command(); // configurations too
      }
    }
    if (random.nextInt(10) == 0) {
      List<Member> members = new ArrayList<>();
      for (int i = 1 + random.nextInt(nodes + 2); i > 0; i--) members.add(new Member(1 + random.nextInt(nodes + 3), "127.0.0.1", 0, 0, 0, random.nextBoolean(), false));
      return new Configuration(random.nextLong(), dedupe(members));
    }
    return new TestCommand(1_000_000 + random.nextInt(1_000_000));
  }

  private static List<Member> dedupe(List<Member> members) {
    List<Member> out = new ArrayList<>();
    for (Member m : members) if (out.stream().noneMatch(o -> o.id() == m.id())) out.add(m);
    return out;
  }

  private List<LogEntry> mutateEntries(List<LogEntry> entries, List<RaftMessage> sample) {
    List<LogEntry> out = new ArrayList<>(entries);
    switch (random.nextInt(7)) {
      case 0 -> { if (!out.isEmpty()) out.remove(random.nextInt(out.size())); }
      case 1 -> { if (out.size() > 1) Collections.swap(out, random.nextInt(out.size()), random.nextInt(out.size())); }
      case 2 -> { if (!out.isEmpty()) { int i = random.nextInt(out.size()); LogEntry e = out.get(i); out.set(i, new LogEntry(anyLong(e.index()), e.term(), e.command())); } }
      case 3 -> { if (!out.isEmpty()) { int i = random.nextInt(out.size()); LogEntry e = out.get(i); out.set(i, new LogEntry(e.index(), anyLong(e.term()), e.command())); } }
      case 4 -> { if (!out.isEmpty()) out.add(out.get(random.nextInt(out.size()))); }
      case 5 -> {
        long index = out.isEmpty() ? 1 : out.get(out.size() - 1).index() + 1;
        long term = out.isEmpty() ? 1 : out.get(out.size() - 1).term();
        out.add(new LogEntry(index, term, anyCommand(sample)));
      }
      default -> out.clear();
    }
    return out;
  }

  // ---- messages ----

  private RaftMessage mutate(RaftMessage m, List<RaftMessage> sample) {
    if (m instanceof RaftMessage.AppendEntries a) {
      return new RaftMessage.AppendEntries(termNear(a.term()), idNear(a.leaderId()), random.nextBoolean() ? anyLong(a.prevLogIndex()) : a.prevLogIndex(),
          random.nextBoolean() ? anyLong(a.prevLogTerm()) : a.prevLogTerm(), random.nextBoolean() ? mutateEntries(a.entries(), sample) : a.entries(),
          random.nextBoolean() ? anyLong(a.leaderCommit()) : a.leaderCommit());
    }
    if (m instanceof RaftMessage.AppendEntriesResult r) {
      return new RaftMessage.AppendEntriesResult(termNear(r.term()), idNear(r.followerId()), random.nextBoolean() != r.success(),
          anyLong(r.matchIndex()), anyLong(r.conflictIndex()), random.nextBoolean() ? anyLong(r.conflictTerm()) : r.conflictTerm());
    }
    if (m instanceof RaftMessage.RequestVote v) {
      return new RaftMessage.RequestVote(termNear(v.term()), idNear(v.candidateId()), anyLong(v.lastLogIndex()), anyLong(v.lastLogTerm()),
          random.nextBoolean(), random.nextInt(4) == 0);
    }
    if (m instanceof RaftMessage.RequestVoteResult v) {
      return new RaftMessage.RequestVoteResult(termNear(v.term()), idNear(v.voterId()), random.nextBoolean(), random.nextBoolean());
    }
    if (m instanceof RaftMessage.InstallSnapshot s) {
      byte[] data = random.nextBoolean() ? s.data() : new byte[random.nextInt(Math.max(1, s.data().length * 2 + 1))];
      return new RaftMessage.InstallSnapshot(termNear(s.term()), idNear(s.leaderId()), anyLong(s.lastIncludedIndex()), termNear(s.lastIncludedTerm()),
          random.nextBoolean() ? anyLong(s.offset()) : s.offset(), data, random.nextBoolean(), random.nextBoolean() ? anyLong(s.totalBytes()) : s.totalBytes(),
          random.nextBoolean() ? random.nextInt() : s.crc32c(), s.configuration());
    }
    if (m instanceof RaftMessage.InstallSnapshotResult r) {
      return new RaftMessage.InstallSnapshotResult(termNear(r.term()), idNear(r.followerId()), anyLong(r.lastIncludedIndex()), anyLong(r.nextOffset()),
          random.nextBoolean(), random.nextBoolean() ? anyLong(r.round()) : r.round());
    }
    if (m instanceof RaftMessage.Heartbeat h) {
      return new RaftMessage.Heartbeat(termNear(h.term()), idNear(h.leaderId()), anyLong(h.commitIndex()), anyLong(h.readRound()));
    }
    if (m instanceof RaftMessage.HeartbeatResult h) {
      return new RaftMessage.HeartbeatResult(termNear(h.term()), idNear(h.followerId()), anyLong(h.readRound()));
    }
    return madeUp(sample);
  }

  private RaftMessage madeUp(List<RaftMessage> sample) {
    long term = anyLong(1 + random.nextInt(20));
    int from = anyId();
    long index = anyLong(random.nextInt(200));
    return switch (random.nextInt(12)) {
      case 0 -> new RaftMessage.RequestVote(term, from, index, anyLong(term), random.nextBoolean(), random.nextBoolean());
      case 1 -> new RaftMessage.RequestVoteResult(term, from, random.nextBoolean(), random.nextBoolean());
      case 2 -> {
        List<LogEntry> entries = new ArrayList<>();
        long prev = Math.max(0, index);
        for (int i = random.nextInt(4); i > 0; i--) entries.add(new LogEntry(prev + 1 + entries.size(), Math.max(1, term), anyCommand(sample)));
        yield new RaftMessage.AppendEntries(term, from, index, anyLong(term), mutateEntries(entries, sample), anyLong(index));
      }
      case 3 -> new RaftMessage.AppendEntriesResult(term, from, random.nextBoolean(), index, anyLong(index), anyLong(term));
      case 4 -> new RaftMessage.InstallSnapshot(term, from, index, anyLong(term), anyLong(0), new byte[random.nextInt(64)], random.nextBoolean(),
          anyLong(64), random.nextInt(), Configuration.bootstrap(List.of(1, 2, 3)));
      case 5 -> new RaftMessage.InstallSnapshotResult(term, from, index, anyLong(0), random.nextBoolean());
      case 6 -> new RaftMessage.Heartbeat(term, from, index, anyLong(0));
      case 7 -> new RaftMessage.HeartbeatResult(term, from, anyLong(0));
      // A voter's Removed stops the node by design (only a voter can remove it; the transport's sender check keeps
      // anyone else from speaking for one): made up here from ids that are no voter, which must be refused.
      case 8 -> new RaftMessage.Removed(term, nodes + 1 + random.nextInt(5), index);
      case 9 -> new RaftMessage.IncarnationRefused(term, from, anyId(), index, random.nextLong(), random.nextLong());
      case 10 -> new RaftMessage.TimeoutNow(term, from);
      default -> {
        // A whole snapshot in one chunk whose checksum is right but whose bytes are no snapshot: it passes every check
        // up to the state machine's restore, which must refuse it and leave the machine as it was.
        byte[] data = new byte[random.nextInt(64)];
        random.nextBytes(data);
        CRC32C crc = new CRC32C();
        crc.update(data);
        yield new RaftMessage.InstallSnapshot(Math.max(1, term), from, Math.max(1, index), 1, 0, data, true, data.length, (int) crc.getValue(),
            Configuration.bootstrap(List.of(1, 2, 3)));
      }
    };
  }
}
