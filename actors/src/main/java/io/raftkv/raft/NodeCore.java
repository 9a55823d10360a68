package io.raftkv.raft;

import io.raftkv.jfr.ApplyEvent;
import io.raftkv.jfr.CommitAdvanceEvent;
import io.raftkv.jfr.SnapshotEvent;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.Noop;
import io.raftkv.persistence.raftlog.RaftLog;
import io.raftkv.persistence.raftlog.RaftLogEvent;
import io.raftkv.persistence.raftlog.RaftLogState;
import io.raftkv.persistence.snapshot.SnapshotRef;
import io.raftkv.persistence.statemachine.SnapshotWriter;
import io.raftkv.persistence.statemachine.StateMachine;
import io.raftkv.persistence.statemachine.StateMachineResult;
import io.raftkv.raft.RaftNode.Applied;
import io.raftkv.raft.RaftNode.Command;
import io.raftkv.raft.RaftNode.Role;
import io.raftkv.raft.RaftNode.Status;
import io.raftkv.raft.RaftNode.Unknown;
import io.raftkv.raft.rules.DurabilityBarrier;
import io.raftkv.raft.rules.ElectionTimer;
import io.raftkv.raft.rules.MemoryLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The state every role shares, owned by the node's actor and touched by nobody else: the
 * persistent state (mirrored in the durable log), the volatile state of Figure 2, the path to the
 * durable log, and the state machine. Roles keep their own state (votes, follower progress).
 */
final class NodeCore {
  private record Outgoing(int to, RaftMessage message) {}

  private record PendingProposal(long term, Replier replyTo, int bytes) {}

  final ActorContext<Command> ctx;
  final RaftSettings settings;
  final int id;
  private final SortedMap<Integer, ActorRef<RaftMessage>> peers;
  private final ActorRef<RaftLog.Command> durableLog;
  private final ActorRef<RaftLog.Reply> logReplies;
  private final StateMachine stateMachine;
  final RaftObserver observer;

  // Persistent state (Figure 2). Changed only together with an event for the durable log.
  private long currentTerm; // latest term seen; never decreases
  private int votedFor; // candidate voted for in currentTerm, or RaftLogState.NO_VOTE
  final MemoryLog log; // what the durable log holds or has been asked to hold
  final SnapshotKeeper snapshots; // the snapshot at log.snapshotIndex() (a file), and the next one being written
  private SnapshotEvent snapshotJfr; // the snapshot being written, begun when a recording wants snapshots; else null

  // Volatile state. Invariant: log.snapshotIndex() <= lastApplied <= commitIndex <= log.lastIndex().
  private long commitIndex;
  private long lastApplied;
  private int leaderId; // the leader of currentTerm as far as this node knows, or 0
  final ElectionTimer electionTimer;

  // The path to the durable log: events wait in `pending` while a batch is in flight (group commit).
  private List<RaftLogEvent> pending = new ArrayList<>();
  private long pendingAppendedBytes; // LogEntry.sizeBytes() of the last event in `pending`, when it is an EntriesAppended
  private long batchesSent; // batches numbered 1, 2, ... in this incarnation
  private boolean batchInFlight;
  private long lastIndexInFlight; // log.lastIndex() when the batch in flight was sent
  private long durableLastIndex; // log.lastIndex() as of the last durable batch's sending
  private final DurabilityBarrier<Outgoing> barrier;

  // A leader's proposals awaiting commit, by log index.
  private final TreeMap<Long, PendingProposal> proposals = new TreeMap<>();
  private long proposalsBytes; // the commands' sizeBytes() of the proposals awaiting commit

  NodeCore(ActorContext<Command> ctx, RaftSettings settings, SortedMap<Integer, ActorRef<RaftMessage>> peers,
      ActorRef<RaftLog.Command> durableLog, ActorRef<RaftLog.Reply> logReplies, StateMachine stateMachine,
      SnapshotStore snapshotStore, RandomGenerator random, RaftObserver observer, RaftLogState recovered) {
    this.ctx = ctx;
    this.settings = settings;
    this.id = settings.nodeId();
    this.peers = peers;
    this.durableLog = durableLog;
    this.logReplies = logReplies;
    this.stateMachine = stateMachine;
    this.observer = observer;
    this.currentTerm = recovered.currentTerm();
    this.votedFor = recovered.votedFor();
    this.log = new MemoryLog(recovered.snapshotIndex(), recovered.snapshotTerm(), recovered.entries());
    this.snapshots = new SnapshotKeeper(snapshotStore, settings, recovered.snapshotFile());
    this.electionTimer = new ElectionTimer(settings.electionTicksMin(), settings.electionTicksMax(), random);
    this.barrier = new DurabilityBarrier<>(settings.heldMessagesMax());
    if (recovered.snapshotIndex() > 0) {
      SnapshotEvent jfr = beginSnapshotEvent();
      SnapshotRef file = recovered.snapshotFile();
      // An older build kept the snapshot inline in the log; it is restored from there, and the
      // next snapshot (taken at once, see onSnapshotWritten's caller) moves it to a file.
      restore(file != null ? snapshots.open(file) : new ByteArrayInputStream(recovered.snapshotData()),
          file != null ? file.fileName() : "the log's inline snapshot");
      observer.snapshotRestored(id, recovered.snapshotIndex(), recovered.snapshotTerm());
      emitSnapshot(jfr, SnapshotEvent.RESTORED, recovered.snapshotIndex(), recovered.snapshotTerm(),
          file != null ? file.sizeBytes() : recovered.snapshotData().length);
    }
    this.durableLastIndex = recovered.lastIndex();
    this.commitIndex = recovered.snapshotIndex();
    this.lastApplied = recovered.snapshotIndex();
    maybeSnapshot(); // only an inline snapshot (older build) is due at once
  }

  long currentTerm() { return currentTerm; }
  int votedFor() { return votedFor; }
  long commitIndex() { return commitIndex; }
  long lastApplied() { return lastApplied; }
  int leaderId() { return leaderId; }
  Iterable<Integer> peerIds() { return peers.keySet(); }
  int voterCount() { return settings.voters().size(); }

  void setLeader(int leader) {
    leaderId = leader;
  }

  // ---- persistent state changes: each records an event for the durable log ----

  /** Moves to a later term: the vote of the old term no longer counts, and its leader is gone. */
  void advanceTerm(long term) {
    if (term <= currentTerm) throw new IllegalStateException("term " + term + " <= current " + currentTerm);
    currentTerm = term;
    votedFor = RaftLogState.NO_VOTE;
    leaderId = 0;
    record(new RaftLogEvent.TermAdvanced(term));
  }

  void voteFor(int candidate) {
    votedFor = candidate;
    record(new RaftLogEvent.VoteCast(currentTerm, candidate));
  }

  /** A leader appends a new entry of its term; returns its index. */
  long appendAsLeader(io.raftkv.persistence.statemachine.StateMachineCommand command) {
    LogEntry entry = new LogEntry(log.lastIndex() + 1, currentTerm, command);
    log.append(List.of(entry));
    record(new RaftLogEvent.EntriesAppended(List.of(entry)));
    return entry.index();
  }

  /** Records what a follower's log did with an AppendEntries (the MemoryLog is already changed). */
  void recordFollowerAppend(long truncatedFrom, List<LogEntry> appended) {
    if (truncatedFrom > 0) record(new RaftLogEvent.LogTruncated(truncatedFrom));
    if (!appended.isEmpty()) record(new RaftLogEvent.EntriesAppended(appended));
  }

  private void record(RaftLogEvent event) {
    long bytes = 0;
    if (event instanceof RaftLogEvent.EntriesAppended a) {
      for (LogEntry e : a.entries()) bytes += e.sizeBytes();
      // Consecutive appends merge into one event, so a batch usually holds one EntriesAppended; but
      // only up to append-bytes-max: one event is serialized whole, and the serializer writes at
      // most 64 MiB, which appends arriving during one slow write of large values could pass.
      if (!pending.isEmpty() && pending.get(pending.size() - 1) instanceof RaftLogEvent.EntriesAppended prev
          && pendingAppendedBytes + bytes <= settings.appendBytesMax()) {
        List<LogEntry> merged = new ArrayList<>(prev.entries().size() + a.entries().size());
        merged.addAll(prev.entries());
        merged.addAll(a.entries());
        pending.set(pending.size() - 1, new RaftLogEvent.EntriesAppended(merged));
        pendingAppendedBytes += bytes;
        return;
      }
    }
    pending.add(event);
    pendingAppendedBytes = bytes;
  }

  /**
   * Records that the durable state is now {@code file} plus the entries after it: a checkpoint
   * (term, vote, snapshot) followed by those entries again, in events of at most append-bytes-max.
   * Once it is durable, the log deletes every event before it from its journal.
   */
  private void recordCheckpoint(SnapshotRef file) {
    record(new RaftLogEvent.Checkpoint(currentTerm, votedFor, file));
    for (long next = log.snapshotIndex() + 1; next <= log.lastIndex(); ) {
      List<LogEntry> chunk = log.slice(next, settings.appendEntriesMax(), settings.appendBytesMax());
      record(new RaftLogEvent.EntriesAppended(chunk));
      next += chunk.size();
    }
  }

  /** Sends the events recorded so far as one batch, unless a batch is in flight (then they wait for it). */
  void flush() {
    if (batchInFlight || pending.isEmpty()) return;
    batchesSent++;
    batchInFlight = true;
    lastIndexInFlight = log.lastIndex();
    observer.persistStarted(id, batchesSent, pending.size());
    durableLog.tell(new RaftLog.Persist(batchesSent, pending, logReplies));
    pending = new ArrayList<>();
    pendingAppendedBytes = 0;
  }

  /** The log confirmed a batch: release what waited for it and send the next batch. */
  void onLogReply(RaftLog.Reply reply) {
    if (reply instanceof RaftLog.Persisted p) {
      batchInFlight = false;
      observer.persistDone(id, p.seq());
      durableLastIndex = lastIndexInFlight;
      barrier.durable(p.seq(), this::deliver);
      snapshots.durable(p.seq());
      flush();
    }
  }

  /** The last batch the log has made durable. */
  long durableBatch() {
    return barrier.durableBatch();
  }

  /**
   * The log's last index when the last durable batch was sent: the durable log equals the
   * in-memory log up to here unless a later batch truncates it (only followers truncate).
   */
  long durableLastIndex() {
    return durableLastIndex;
  }

  /** The batch a message must wait for: the open one if events are pending, else the last one sent. */
  long requiredBatch() {
    return pending.isEmpty() ? batchesSent : batchesSent + 1;
  }

  // ---- sending ----

  /** Sends a message that promises nothing about durable state. */
  void send(int to, RaftMessage message) {
    deliver(new Outgoing(to, message));
  }

  /** Sends a message once everything recorded so far is durable (votes, acknowledgements). */
  void sendWhenDurable(int to, RaftMessage message) {
    barrier.sendAfter(requiredBatch(), new Outgoing(to, message), this::deliver);
  }

  private void deliver(Outgoing out) {
    if (out.to() == id) {
      ctx.getSelf().tell(out.message());
    } else {
      ActorRef<RaftMessage> peer = peers.get(out.to());
      if (peer != null) peer.tell(out.message());
    }
  }

  // ---- commit, apply, snapshots ----

  /** Raises the commit index (never lowers it) and applies what became committed. */
  void commitTo(long index) {
    long target = Math.min(index, log.lastIndex());
    if (target <= commitIndex) return;
    emitCommitAdvance(commitIndex, target);
    commitIndex = target;
    observer.committed(id, commitIndex);
    applyCommitted();
  }

  private void emitCommitAdvance(long from, long to) {
    CommitAdvanceEvent jfr = new CommitAdvanceEvent();
    if (!jfr.isEnabled()) return;
    jfr.nodeId = id;
    jfr.term = currentTerm;
    jfr.oldCommitIndex = from;
    jfr.newCommitIndex = to;
    jfr.commit();
  }

  private void applyCommitted() {
    ApplyEvent jfr = null;
    if (lastApplied < commitIndex) {
      ApplyEvent e = new ApplyEvent();
      if (e.isEnabled()) {
        jfr = e;
        jfr.begin();
        jfr.firstIndex = lastApplied + 1;
      }
    }
    while (lastApplied < commitIndex) {
      LogEntry entry = log.entry(lastApplied + 1);
      boolean noop = entry.command() instanceof Noop;
      StateMachineResult result = noop ? null : stateMachine.apply(entry.index(), entry.command());
      lastApplied = entry.index();
      snapshots.applied(noop ? 0 : entry.command().sizeBytes());
      if (jfr != null) {
        jfr.entries++;
        if (!noop) jfr.bytes += entry.command().sizeBytes();
      }
      observer.applied(id, entry);
      PendingProposal p = proposals.remove(entry.index());
      if (p != null) {
        proposalsBytes -= p.bytes();
        if (p.term() == entry.term()) p.replyTo().reply(new Applied(entry.index(), entry.term(), result));
        else p.replyTo().reply(new Unknown(entry.index(), "another leader's entry took this index"));
      }
    }
    if (jfr != null) {
      jfr.nodeId = id;
      jfr.lastIndex = lastApplied;
      jfr.commit();
    }
    maybeSnapshot();
  }

  /**
   * Starts a snapshot when one is due (or when the log's snapshot is still inline, from an older
   * build, and so cannot be sent in chunks): the state machine is pinned at lastApplied and written
   * to a file in the background while entries go on being applied (§7; dissertation §5.2's
   * copy-on-write approach). The log is compacted once the file is durable.
   */
  void maybeSnapshot() {
    boolean inline = snapshots.current() == null && log.snapshotIndex() > 0;
    if (snapshots.writing() || lastApplied <= log.snapshotIndex() && !(inline && lastApplied == log.snapshotIndex())) return;
    if (!inline && !snapshots.due(lastApplied - log.snapshotIndex())) return;
    SnapshotWriter pinned = stateMachine.pinSnapshot();
    // The log's index, not the machine's own: no-ops are not given to the machine, so its last
    // applied index may lag lastApplied, and the state is the same at both.
    long index = lastApplied;
    long term = log.termAt(index);
    SnapshotWriter writer = new SnapshotWriter() {
      @Override
      public long index() {
        return index;
      }

      @Override
      public void writeTo(java.io.OutputStream out) throws IOException {
        pinned.writeTo(out);
      }
    };
    snapshotJfr = beginSnapshotEvent();
    ActorRef<Command> self = ctx.getSelf();
    snapshots.write(term, writer, self::tell);
  }

  /** The background write ended: on success the log is compacted through the snapshot, durably with its event. */
  void onSnapshotWritten(RaftNode.SnapshotWritten w) {
    stateMachine.releaseSnapshot();
    SnapshotRef file = snapshots.written(w, log.snapshotIndex());
    SnapshotEvent jfr = snapshotJfr;
    snapshotJfr = null;
    if (w.failure() != null) {
      ctx.getLog().error("Snapshot at index {} could not be written, will retry: {}", w.index(), w.failure());
      return;
    }
    if (file == null) return; // a leader's snapshot replaced the log's meanwhile
    ctx.getLog().info("Snapshot through index {} written: {} bytes in {} ms", file.index(), file.sizeBytes(),
        w.writeNanos() / 1_000_000);
    observer.snapshotWritten(id, file.index(), file.sizeBytes(), w.writeNanos());
    log.compactThrough(file.index(), file.term());
    recordCheckpoint(file);
    snapshots.adopted(file, requiredBatch(), false);
    emitSnapshot(jfr, SnapshotEvent.TAKEN, file.index(), file.term(), file.sizeBytes());
  }

  /** A begun snapshot event if a recording wants snapshot events, else null. */
  private static SnapshotEvent beginSnapshotEvent() {
    SnapshotEvent e = new SnapshotEvent();
    if (!e.isEnabled()) return null;
    e.begin();
    return e;
  }

  /** Ends and commits a snapshot event begun by {@link #beginSnapshotEvent} (null: not recording). */
  private void emitSnapshot(SnapshotEvent jfr, String kind, long index, long term, long bytes) {
    if (jfr == null) return;
    jfr.end();
    if (!jfr.shouldCommit()) return;
    jfr.nodeId = id;
    jfr.kind = kind;
    jfr.lastIncludedIndex = index;
    jfr.lastIncludedTerm = term;
    jfr.bytes = bytes;
    jfr.commit();
  }

  private void restore(InputStream in, String what) {
    try (InputStream stream = in) {
      stateMachine.restore(stream);
    } catch (IOException e) {
      throw new UncheckedIOException("node " + id + " cannot restore its state machine from " + what, e);
    }
  }

  /**
   * A chunk of the leader's snapshot: returns the next offset this node needs, or -1 once the
   * whole file is in, verified and installed.
   */
  long receiveSnapshotChunk(RaftMessage.InstallSnapshot is) {
    Object outcome;
    try {
      outcome = snapshots.receive(is);
    } catch (IOException e) {
      ctx.getLog().error("Receiving snapshot {}@{} from node {} failed; it will be sent again: {}", is.lastIncludedIndex(),
          is.lastIncludedTerm(), is.leaderId(), e.toString());
      snapshots.abandonReceive();
      return 0;
    }
    if (outcome instanceof Long next) return next;
    installSnapshot((SnapshotRef) outcome);
    return -1;
  }

  /** Replaces the state machine with a leader's snapshot file (complete and verified). */
  private void installSnapshot(SnapshotRef file) {
    SnapshotEvent jfr = beginSnapshotEvent();
    long started = System.nanoTime();
    restore(snapshots.open(file), file.fileName());
    ctx.getLog().info("Installed the leader's snapshot through index {}: {} bytes, restored in {} ms", file.index(), file.sizeBytes(),
        (System.nanoTime() - started) / 1_000_000);
    long index = file.index();
    long term = file.term();
    log.compactThrough(index, term);
    recordCheckpoint(file);
    snapshots.adopted(file, requiredBatch(), true);
    observer.snapshotRestored(id, index, term);
    observer.snapshotInstalled(id, index, term);
    emitSnapshot(jfr, SnapshotEvent.INSTALLED, index, term, file.sizeBytes());
    lastApplied = index;
    if (commitIndex < index) {
      emitCommitAdvance(commitIndex, index);
      commitIndex = index;
      observer.committed(id, commitIndex);
    }
  }

  // ---- a leader's proposals ----

  int proposalsPending() {
    return proposals.size();
  }

  long proposalsPendingBytes() {
    return proposalsBytes;
  }

  void awaitCommit(long index, Replier replyTo) {
    int bytes = log.entry(index).command().sizeBytes();
    proposals.put(index, new PendingProposal(currentTerm, replyTo, bytes));
    proposalsBytes += bytes;
  }

  /** Leadership ended: every proposal still waiting may or may not commit later. */
  void abandonProposals(String reason) {
    for (Map.Entry<Long, PendingProposal> e : proposals.entrySet()) e.getValue().replyTo().reply(new Unknown(e.getKey(), reason));
    proposals.clear();
    proposalsBytes = 0;
  }

  /** Answers a read from the state machine as it is now. */
  void answerRead(io.raftkv.persistence.statemachine.StateMachineCommand query, Replier replyTo) {
    StateMachineResult result;
    try {
      result = stateMachine.query(query);
    } catch (IllegalArgumentException e) {
      replyTo.reply(new RaftNode.Refused("not a read: " + e.getMessage()));
      return;
    }
    replyTo.reply(new RaftNode.ReadDone(lastApplied, result));
  }

  Status status(Role role) {
    return new Status(id, role, currentTerm, votedFor, leaderId, commitIndex, lastApplied, log.lastIndex(), log.snapshotIndex());
  }
}
