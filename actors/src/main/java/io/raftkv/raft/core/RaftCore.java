package io.raftkv.raft.core;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.persistence.raftlog.RaftLogEvent;
import io.raftkv.persistence.raftlog.RaftLogState;
import io.raftkv.persistence.snapshot.SnapshotRef;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.raft.ClientRequest;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import io.raftkv.raft.RaftSettings;
import io.raftkv.raft.Replier;
import io.raftkv.raft.rules.ConfigurationHistory;
import io.raftkv.raft.rules.DurabilityBarrier;
import io.raftkv.raft.rules.ElectionTimer;
import io.raftkv.raft.rules.MemoryLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Every Raft decision of one node, with no I/O: no actor, clock, file or flight recorder. It is
 * driven by {@link Input}s, and each {@link #step} returns one {@link Ready} saying what to
 * persist, send, apply and answer, in the order {@link Ready} states. The shell around it (the
 * node's actor) carries that out and feeds the outcomes back in as inputs. So the same core runs
 * in production and in the deterministic simulator, and its rules can be tested by stepping it.
 *
 * <p>It holds the persistent state of Figure 2 (mirrored in the durable log by the events it
 * records), the volatile state, the group commit of those events, and the role the node plays,
 * which keeps its own state (votes, follower progress). Time is ticks; randomness is the seeded
 * generator it is given.
 */
public final class RaftCore {
  private record PendingProposal(long term, Replier replyTo, int bytes) {}

  final RaftSettings settings;
  final int id;
  final RaftObserver observer;

  // Persistent state (Figure 2). Changed only together with an event for the durable log.
  private long currentTerm; // latest term seen; never decreases
  private int votedFor; // candidate voted for in currentTerm, or RaftLogState.NO_VOTE
  final MemoryLog log; // what the durable log holds or has been asked to hold
  private SnapshotRef snapshotFile; // the file of log.snapshotIndex(), or null (none, or an older build's inline snapshot)
  final ConfigurationHistory configurations; // the configurations the log holds; the latest is in force (dissertation §4.1)

  // Volatile state. Invariant: log.snapshotIndex() <= lastApplied <= commitIndex <= log.lastIndex().
  private long commitIndex;
  private long lastApplied; // the last entry handed to the shell to apply
  private int leaderId; // the leader of currentTerm as far as this node knows, or 0
  final ElectionTimer electionTimer;
  private Role role;
  private Configuration reportedConfiguration; // the configuration the observer was last told of
  private long removedAt; // the index of the committed configuration a leader said no longer holds this node, or 0
  private long clusterId; // the cluster id of the latest committed configuration that has one, or 0: once set, it never changes
  private RaftMessage.IncarnationRefused refusal; // a peer's refusal of this data directory, accepted: the node takes no further part
  private final RandomGenerator random; // seeded by the shell: election timeouts and the cluster id

  // Group commit: events wait in `pending` while a batch is in flight.
  private List<RaftLogEvent> pending = new ArrayList<>();
  private long pendingAppendedBytes; // LogEntry.sizeBytes() of the last event in `pending`, when it is an EntriesAppended
  private long batchesSent; // batches numbered 1, 2, ... in this incarnation
  private boolean batchInFlight;
  private long lastIndexInFlight; // log.lastIndex() when the batch in flight was sent
  private long durableLastIndex; // log.lastIndex() as of the last durable batch's sending
  private final DurabilityBarrier<Ready.Outgoing> barrier;

  // A leader's proposals awaiting commit, by log index.
  private final TreeMap<Long, PendingProposal> proposals = new TreeMap<>();
  private long proposalsBytes; // the commands' sizeBytes() of the proposals awaiting commit

  // What the step under way decided; turned into its Ready at the end.
  private Ready.Persist persist;
  private List<Ready.Outgoing> messages;
  private List<Ready.SnapshotChunk> chunks;
  private RaftMessage.InstallSnapshot receiveChunk;
  private List<Ready.Apply> committed;
  private List<Ready.ServeRead> reads;
  private List<Ready.Answer> answers;
  private Ready.SnapshotAdopted adopted;
  private boolean replicateSoon;

  /**
   * A node as its durable log recovered it, a follower. The shell has restored the state machine
   * from the recovered snapshot (if any) already.
   */
  public RaftCore(RaftSettings settings, RaftLogState recovered, RandomGenerator random, RaftObserver observer) {
    this.settings = settings;
    this.id = settings.nodeId();
    this.observer = observer;
    this.currentTerm = recovered.currentTerm();
    this.votedFor = recovered.votedFor();
    this.log = new MemoryLog(recovered.snapshotIndex(), recovered.snapshotTerm(), recovered.entries());
    this.snapshotFile = recovered.snapshotFile();
    Configuration base = recovered.snapshotConfiguration() != null ? recovered.snapshotConfiguration() : Configuration.bootstrap(settings.voters());
    this.configurations = new ConfigurationHistory(recovered.snapshotIndex(), base, recovered.entries());
    this.random = random;
    this.electionTimer = new ElectionTimer(settings.electionTicksMin(), settings.electionTicksMax(), random);
    this.barrier = new DurabilityBarrier<>(settings.heldMessagesMax());
    this.durableLastIndex = recovered.lastIndex();
    this.commitIndex = recovered.snapshotIndex();
    this.lastApplied = recovered.snapshotIndex();
    this.role = new Follower(this);
    if (recovered.snapshotConfiguration() != null) learnClusterId(recovered.snapshotConfiguration());
    reportConfiguration();
  }

  /** Tells the observer when the configuration in force is another than the one it was last told of. */
  private void reportConfiguration() {
    Configuration current = configurations.current();
    if (current == reportedConfiguration) return;
    reportedConfiguration = current;
    observer.configurationChanged(id, configurations.currentIndex(), current);
  }

  // ---- the step ----

  /** Takes one input; returns what the shell must do, in {@link Ready}'s order. */
  public Ready step(Input input) {
    if (refusal != null) return Ready.NOTHING; // refused: the shell stops the node
    Role before = role;
    if (input instanceof Input.Message m) {
      if (admit(m)) role = role.onRaftMessage(m.message());
    } else if (input == Input.Tick.INSTANCE) {
      role = role.onTick();
    } else if (input instanceof Input.Propose p) {
      role = role.onPropose(p.command(), p.replyTo());
    } else if (input instanceof Input.Read r) {
      role = role.onRead(r.query(), r.replyTo());
    } else if (input instanceof Input.Requests rs) {
      for (ClientRequest r : rs.requests()) role = onClientRequest(r); // each goes to the role the previous one left
    } else if (input == Input.Replicate.INSTANCE) {
      role = role.onReplicate();
    } else if (input instanceof Input.ChangeConfiguration c) {
      role = role.onChangeConfiguration(c.change(), c.replyTo());
    } else if (input instanceof Input.TransferLeadership t) {
      role = role.onTransferLeadership(t.targetId());
    } else if (input instanceof Input.Persisted p) {
      onPersisted(p.batch());
      role = role.onDurable();
    } else if (input instanceof Input.SnapshotTaken s) {
      onSnapshotTaken(s.file());
    } else if (input instanceof Input.SnapshotChunkStored s) {
      RaftMessage.InstallSnapshot is = s.chunk();
      send(is.leaderId(), new RaftMessage.InstallSnapshotResult(currentTerm, id, is.lastIncludedIndex(), s.nextOffset(), false, is.round()));
    } else if (input instanceof Input.SnapshotInstalled s) {
      onSnapshotInstalled(s.chunk(), s.file());
    } else {
      throw new IllegalArgumentException("unknown input " + input);
    }
    if (role != before) observer.roleChanged(id, currentTerm, role.kind());
    reportConfiguration();
    flush();
    return takeReady();
  }

  /**
   * Whether a peer's message counts: an impossible one ({@link MessageCheck}) is refused and
   * reported; then by {@link IdentityRules}, one of another cluster is ignored, a
   * vote or acknowledgement from a data directory the configuration does not know under the
   * sender's id is answered with a refusal. A leader notes the incarnations of members it knows by
   * id only, to record them.
   */
  private boolean admit(Input.Message m) {
    RaftMessage message = m.message();
    if (m.own()) return true;
    String problem = MessageCheck.problem(message, id, settings);
    if (problem != null) {
      observer.peerMessageInvalid(id, message.from(), message.getClass().getSimpleName(), problem);
      return false;
    }
    if (message instanceof RaftMessage.IncarnationRefused r) {
      boolean fromItsLeader = r.refuserId() == leaderId && r.term() == currentTerm;
      if (r.to() == id
          && IdentityRules.acceptsRefusal(configuration(), id, settings.incarnation(), r.senderIncarnation(), r.knownIncarnation(), fromItsLeader)) {
        refusal = r;
        role.leave();
      }
      return false;
    }
    int from = message.from();
    switch (IdentityRules.check(configuration(), clusterId, message, m.senderClusterId(), m.senderIncarnation())) {
      case OTHER_CLUSTER -> {
        observer.peerRefused(id, from, "it belongs to cluster " + Member.hex(m.senderClusterId()) + ", this node to cluster "
            + Member.hex(clusterId));
        return false;
      }
      case OTHER_INCARNATION -> {
        long known = configuration().member(from).incarnation();
        observer.peerRefused(id, from, "its data directory is " + Member.hex(m.senderIncarnation()) + ", member " + from
            + "'s is " + Member.hex(known) + " (wiped or replaced: remove member " + from + " and add it again)");
        send(from, new RaftMessage.IncarnationRefused(currentTerm, id, from, configurationIndex(), known, m.senderIncarnation()));
        return false;
      }
      default -> {
        if (role instanceof Leader l) l.heardFrom(from, m.senderIncarnation());
        return true;
      }
    }
  }

  private Role onClientRequest(ClientRequest r) {
    return switch (r.kind()) {
      case WRITE -> role.onPropose(r.command(), r.replyTo());
      case READ -> role.onRead(r.command(), r.replyTo());
      case READ_LOCAL -> {
        serveRead(r.command(), r.replyTo());
        yield role;
      }
    };
  }

  private Ready takeReady() {
    if (persist == null && messages == null && chunks == null && receiveChunk == null && committed == null && reads == null
        && answers == null && adopted == null && !replicateSoon) {
      return Ready.NOTHING;
    }
    Ready ready = new Ready(persist, orEmpty(messages), orEmpty(chunks), receiveChunk, orEmpty(committed), orEmpty(reads), orEmpty(answers),
        adopted, replicateSoon);
    persist = null;
    messages = null;
    chunks = null;
    receiveChunk = null;
    committed = null;
    reads = null;
    answers = null;
    adopted = null;
    replicateSoon = false;
    return ready;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  // ---- what the shell and tests may read ----

  public RaftNode.Role role() { return role.kind(); }
  public long currentTerm() { return currentTerm; }
  public int votedFor() { return votedFor; }
  public long commitIndex() { return commitIndex; }
  public long lastApplied() { return lastApplied; }
  public int leaderId() { return leaderId; }
  public long snapshotIndex() { return log.snapshotIndex(); }
  public long lastIndex() { return log.lastIndex(); }
  /** The term of the entry at {@code index} (the snapshot's term at its index). */
  public long termAt(long index) { return log.termAt(index); }
  /** The file of the log's snapshot, or null. */
  public SnapshotRef snapshotFile() { return snapshotFile; }
  /** The configuration in force: the latest in the log, committed or not. */
  public Configuration configuration() { return configurations.current(); }
  /** The index of the configuration in force (its entry's, or the snapshot's it came with). */
  public long configurationIndex() { return configurations.currentIndex(); }

  /**
   * Whether a leader told this node it was removed from the cluster: the configuration without it,
   * from {@link #removedAt()}, is committed. (Its own log cannot tell: a node catching up passes
   * through committed configurations that do not hold it yet, or no longer hold an earlier
   * incarnation of its id.)
   */
  public boolean removed() {
    return removedAt > 0;
  }

  public long removedAt() {
    return removedAt;
  }

  /**
   * A peer's refusal of this node's data directory, which it accepted (see {@link
   * IdentityRules#acceptsRefusal}), or null. A refused node takes no further part: every later
   * step does nothing, and the shell stops it.
   */
  public RaftMessage.IncarnationRefused refusal() {
    return refusal;
  }

  /**
   * The cluster's id as the committed configurations say, or 0 before this node saw one committed.
   * Only a committed id counts: the first leader's configuration with a new id may be replaced by
   * another leader's with another id until one of them commits.
   */
  public long clusterId() {
    return clusterId;
  }

  private void learnClusterId(Configuration committed) {
    if (committed.clusterId() == 0 || committed.clusterId() == clusterId) return;
    clusterId = committed.clusterId();
    observer.clusterIdCommitted(id, clusterId);
  }

  /** A new cluster's id: never 0 (which means "not known yet"). */
  long newClusterId() {
    long clusterId;
    do clusterId = random.nextLong(); while (clusterId == 0);
    return clusterId;
  }

  void markRemoved(long configurationIndex) {
    removedAt = configurationIndex;
  }

  /** A leader's view of each other member's match index; empty on any other node. */
  public Map<Integer, Long> matchIndexes() {
    return role instanceof Leader l ? l.matchIndexes() : Map.of();
  }

  public RaftNode.Status status() {
    return new RaftNode.Status(id, role.kind(), currentTerm, votedFor, leaderId, commitIndex, lastApplied, log.lastIndex(), log.snapshotIndex());
  }

  // ---- for the roles ----

  /** Every other member, voters and learners, ascending: whom a leader replicates to. */
  List<Integer> peerIds() {
    List<Integer> ids = new ArrayList<>(configurations.current().ids());
    ids.remove(Integer.valueOf(id));
    return ids;
  }

  /** Every other voter, ascending: whom a candidate asks for votes. */
  List<Integer> voterPeerIds() {
    List<Integer> ids = new ArrayList<>(configurations.voters());
    ids.remove(Integer.valueOf(id));
    return ids;
  }

  /** Whether this node may grant votes: not a node that joined, before it holds the entry that added it ({@link IdentityRules#mayVote}). */
  boolean mayVote() {
    return IdentityRules.mayVote(configurations.current(), id, settings.incarnation(), settings.voters().contains(id));
  }

  /** The voters in force, ascending. */
  List<Integer> voterIds() { return configurations.voters(); }
  boolean isVoter(int node) { return configurations.voters().contains(node); }
  int voterCount() { return configurations.voters().size(); }

  void setLeader(int leader) {
    leaderId = leader;
  }

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
  long appendAsLeader(StateMachineCommand command) {
    LogEntry entry = new LogEntry(log.lastIndex() + 1, currentTerm, command);
    log.append(List.of(entry));
    configurations.appended(entry);
    record(new RaftLogEvent.EntriesAppended(List.of(entry)));
    return entry.index();
  }

  /** Records what a follower's log did with an AppendEntries (the MemoryLog is already changed). */
  void recordFollowerAppend(long truncatedFrom, List<LogEntry> appended) {
    if (truncatedFrom > 0) configurations.truncatedFrom(truncatedFrom);
    for (LogEntry e : appended) configurations.appended(e);
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
   * (term, vote, snapshot), the configuration as of the snapshot, then those entries again, in
   * events of at most append-bytes-max. Once it is durable, the log deletes every event before it
   * from its journal.
   */
  private void recordCheckpoint(SnapshotRef file) {
    record(new RaftLogEvent.Checkpoint(currentTerm, votedFor, file));
    record(new RaftLogEvent.SnapshotConfiguration(file.index(), configurations.at(file.index())));
    for (long next = log.snapshotIndex() + 1; next <= log.lastIndex(); ) {
      List<LogEntry> chunk = log.slice(next, settings.appendEntriesMax(), settings.appendBytesMax());
      record(new RaftLogEvent.EntriesAppended(chunk));
      next += chunk.size();
    }
  }

  /** Puts the events recorded so far in the Ready as one batch, unless a batch is in flight (then they wait for it). */
  private void flush() {
    if (batchInFlight || pending.isEmpty()) return;
    batchesSent++;
    batchInFlight = true;
    lastIndexInFlight = log.lastIndex();
    observer.persistStarted(id, batchesSent, pending.size());
    persist = new Ready.Persist(batchesSent, pending);
    pending = new ArrayList<>();
    pendingAppendedBytes = 0;
  }

  /** The log stored a batch: release what waited for it and start the next batch. */
  private void onPersisted(long batch) {
    batchInFlight = false;
    observer.persistDone(id, batch);
    durableLastIndex = lastIndexInFlight;
    barrier.durable(batch, this::deliver);
    flush();
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

  // ---- sending and answering ----

  /** Sends a message that promises nothing about durable state. */
  void send(int to, RaftMessage message) {
    deliver(new Ready.Outgoing(to, message));
  }

  /** Sends a message once everything recorded so far is durable (votes, acknowledgements). */
  void sendWhenDurable(int to, RaftMessage message) {
    barrier.sendAfter(requiredBatch(), new Ready.Outgoing(to, message), this::deliver);
  }

  private void deliver(Ready.Outgoing out) {
    if (messages == null) messages = new ArrayList<>();
    messages.add(out);
  }

  void sendSnapshotChunk(Ready.SnapshotChunk chunk) {
    if (chunks == null) chunks = new ArrayList<>();
    chunks.add(chunk);
  }

  void answer(Replier replyTo, RaftNode.ClientReply reply) {
    if (answers == null) answers = new ArrayList<>();
    answers.add(new Ready.Answer(replyTo, reply));
  }

  /** Answers a read from the state machine, once what this step commits is applied. */
  void serveRead(StateMachineCommand query, Replier replyTo) {
    if (reads == null) reads = new ArrayList<>();
    reads.add(new Ready.ServeRead(query, replyTo));
  }

  void replicateSoon() {
    replicateSoon = true;
  }

  // ---- commit and apply ----

  /** Raises the commit index (never lowers it); what became committed goes to the shell to apply. */
  void commitTo(long index) {
    long target = Math.min(index, log.lastIndex());
    if (target <= commitIndex) return;
    long previous = commitIndex;
    commitIndex = target;
    observer.committed(id, currentTerm, previous, commitIndex);
    if (committed == null) committed = new ArrayList<>();
    while (lastApplied < commitIndex) {
      LogEntry entry = log.entry(lastApplied + 1);
      lastApplied = entry.index();
      if (entry.command() instanceof Configuration c) learnClusterId(c);
      PendingProposal p = proposals.remove(entry.index());
      Replier proposer = null;
      if (p != null) {
        proposalsBytes -= p.bytes();
        if (p.term() == entry.term()) proposer = p.replyTo();
        else answer(p.replyTo(), new RaftNode.Unknown(entry.index(), "another leader's entry took this index"));
      }
      committed.add(new Ready.Apply(entry, proposer));
    }
  }

  // ---- snapshots ----

  /** The node's own snapshot is written: the log is compacted through it, durably with its event. */
  private void onSnapshotTaken(SnapshotRef file) {
    if (file.index() < log.snapshotIndex() || file.index() > lastApplied) {
      throw new IllegalArgumentException("snapshot through " + file.index() + " outside " + log.snapshotIndex() + ".." + lastApplied);
    }
    log.compactThrough(file.index(), file.term());
    configurations.compactedThrough(file.index());
    recordCheckpoint(file);
    snapshotFile = file;
    adopted = new Ready.SnapshotAdopted(file, requiredBatch(), false);
  }

  /** A follower: a leader's snapshot is installed; the log now starts after it, and it is acknowledged once durable. */
  private void onSnapshotInstalled(RaftMessage.InstallSnapshot is, SnapshotRef file) {
    long index = file.index();
    long term = file.term();
    log.compactThrough(index, term);
    configurations.installed(index, is.configuration(), log.lastIndex());
    if (is.configuration() != null) learnClusterId(is.configuration());
    recordCheckpoint(file);
    snapshotFile = file;
    adopted = new Ready.SnapshotAdopted(file, requiredBatch(), true);
    observer.snapshotRestored(id, index, term);
    observer.snapshotInstalled(id, index, term);
    lastApplied = index;
    if (commitIndex < index) {
      long previous = commitIndex;
      commitIndex = index;
      observer.committed(id, currentTerm, previous, commitIndex);
    }
    sendWhenDurable(is.leaderId(), new RaftMessage.InstallSnapshotResult(currentTerm, id, is.lastIncludedIndex(), 0, true));
  }

  /** A follower: the shell is to store this chunk of a leader's snapshot, and step the outcome. */
  void receiveSnapshotChunk(RaftMessage.InstallSnapshot is) {
    receiveChunk = is;
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
    for (Map.Entry<Long, PendingProposal> e : proposals.entrySet()) answer(e.getValue().replyTo(), new RaftNode.Unknown(e.getKey(), reason));
    proposals.clear();
    proposalsBytes = 0;
  }
}
