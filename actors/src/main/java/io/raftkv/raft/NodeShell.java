package io.raftkv.raft;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.persistence.raftlog.Noop;
import io.raftkv.persistence.raftlog.RaftLog;
import io.raftkv.persistence.raftlog.RaftLogState;
import io.raftkv.persistence.snapshot.SnapshotRef;
import io.raftkv.persistence.statemachine.SnapshotWriter;
import io.raftkv.persistence.statemachine.StateMachine;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.persistence.statemachine.StateMachineResult;
import io.raftkv.raft.RaftNode.Command;
import io.raftkv.raft.RaftNode.Own;
import io.raftkv.raft.RaftObserver.SnapshotKind;
import io.raftkv.raft.core.Input;
import io.raftkv.raft.core.RaftCore;
import io.raftkv.raft.core.Ready;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The node's actor around its {@link RaftCore}: it turns each message into an {@link Input},
 * steps the core, and carries out the {@link Ready} it returns, in the order Ready states. It does
 * all the I/O the core does not: the durable log, the peers' refs, the state machine and the
 * snapshot files. Each role is a behavior of its own, the one the core's role names; the actor
 * switches behavior when the core's role changes, and every role hands its messages to the core.
 */
final class NodeShell {
  private final ActorContext<Command> ctx;
  private final int id;
  private final RaftCore core;
  private final PeerDirectory peers;
  private final PeerAuthenticator authenticator; // the peers' proofs of sender: checked before a message counts for anything
  private final Map<Integer, ActorRef<RaftMessage>> peerRefs = new HashMap<>(); // resolved for the configuration in force
  private long peerRefsConfiguration = -1; // the configuration index peerRefs were resolved for
  private final ActorRef<RaftLog.Command> durableLog;
  private final ActorRef<RaftLog.Reply> logReplies;
  private final StateMachine stateMachine;
  private final SnapshotKeeper snapshots;
  private final RaftObserver observer;
  private boolean removedReported; // the observer was told this node is no longer a member
  private boolean refusalReported; // the observer was told a member refused this node's data directory
  private final long incarnation; // this node's data directory, stamped on every message it sends; 0: sent bare

  /**
   * The node as its durable log recovered it: the state machine is restored from the recovered
   * snapshot first, then the core starts as a follower.
   */
  NodeShell(ActorContext<Command> ctx, RaftSettings settings, PeerDirectory peers,
      ActorRef<RaftLog.Command> durableLog, ActorRef<RaftLog.Reply> logReplies, StateMachine stateMachine, SnapshotStore snapshotStore,
      RandomGenerator random, RaftObserver observer, RaftLogState recovered) {
    this.ctx = ctx;
    this.id = settings.nodeId();
    this.incarnation = settings.incarnation();
    this.peers = peers;
    this.authenticator = peers.authenticator();
    this.durableLog = durableLog;
    this.logReplies = logReplies;
    this.stateMachine = stateMachine;
    this.observer = observer;
    this.snapshots = new SnapshotKeeper(snapshotStore, settings, recovered.snapshotFile());
    if (recovered.snapshotIndex() > 0) {
      observer.snapshotStarted(id, SnapshotKind.RESTORED);
      SnapshotRef file = recovered.snapshotFile();
      // An older build kept the snapshot inline in the log; it is restored from there, and the
      // next snapshot (taken at once, see maybeSnapshot) moves it to a file.
      restore(file != null ? snapshots.open(file) : new ByteArrayInputStream(recovered.snapshotData()),
          file != null ? file.fileName() : "the log's inline snapshot");
      observer.snapshotRestored(id, recovered.snapshotIndex(), recovered.snapshotTerm());
      observer.snapshotEnded(id, SnapshotKind.RESTORED, recovered.snapshotIndex(), recovered.snapshotTerm(),
          file != null ? file.sizeBytes() : recovered.snapshotData().length);
    }
    this.core = new RaftCore(settings, recovered, random, observer);
    maybeSnapshot(); // only an inline snapshot (older build) is due at once
  }

  /** The behavior of the role the core is in now. */
  Behavior<Command> behavior() {
    RaftNode.Role role = core.role();
    return Behaviors.receive(Command.class)
        .onMessage(RaftMessage.class, m -> received(role, m))
        .onMessage(Own.class, m -> step(role, Input.Message.own(m.message())))
        .onMessage(RaftNode.Tick.class, t -> step(role, Input.Tick.INSTANCE))
        .onMessage(RaftNode.Propose.class, p -> step(role, new Input.Propose(p.command(), p.replyTo()::tell)))
        .onMessage(RaftNode.Read.class, r -> step(role, new Input.Read(r.query(), r.replyTo()::tell)))
        .onMessage(RaftNode.ReadLocal.class, r -> {
          answerRead(r.query(), r.replyTo()::tell);
          return Behaviors.same();
        })
        .onMessage(RaftNode.DrainInbox.class, d -> {
          List<ClientRequest> batch = new ArrayList<>();
          d.inbox().drainTo(batch::add);
          return batch.isEmpty() ? Behaviors.same() : step(role, new Input.Requests(batch));
        })
        .onMessage(RaftNode.Replicate.class, r -> step(role, Input.Replicate.INSTANCE))
        .onMessage(RaftNode.TransferLeadership.class, t -> step(role, new Input.TransferLeadership(t.targetId())))
        .onMessage(RaftNode.ChangeMembership.class, c -> step(role, new Input.ChangeConfiguration(c.change(), c.replyTo()::tell)))
        .onMessage(RaftNode.GetMembers.class, g -> {
          g.replyTo().tell(new RaftNode.Members(id, core.leaderId(), core.lastIndex(), core.configurationIndex(),
              core.commitIndex() >= core.configurationIndex(), core.configuration(), core.matchIndexes()));
          return Behaviors.same();
        })
        .onMessage(RaftNode.LogReplied.class, r -> {
          if (!(r.reply() instanceof RaftLog.Persisted p)) return Behaviors.same();
          snapshots.durable(p.seq());
          return step(role, new Input.Persisted(p.seq()));
        })
        .onMessage(RaftNode.SnapshotWritten.class, w -> {
          onSnapshotWritten(w);
          return next(role);
        })
        .onMessage(RaftNode.GetStatus.class, g -> {
          g.replyTo().tell(core.status());
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> step(RaftNode.Role role, Input input) {
    carryOut(core.step(input));
    if (!removedReported && core.removed()) {
      removedReported = true;
      ctx.getLog().warn("Node {} was removed from the cluster: leader {} says the configuration at index {} without it is committed", id,
          core.leaderId(), core.removedAt());
      observer.removed(id, core.removedAt());
    }
    if (!refusalReported && core.refusal() != null) {
      refusalReported = true;
      RaftMessage.IncarnationRefused r = core.refusal();
      ctx.getLog().error("Node {}'s data directory (incarnation {}) was refused by node {}: the configuration at index {} knows member {} "
          + "by incarnation {}", id, Member.hex(r.senderIncarnation()), r.refuserId(), r.configurationIndex(), id,
          Member.hex(r.knownIncarnation()));
      observer.refused(id, r);
    }
    return next(role);
  }

  /** Stays in this behavior while the role is the same; switches to the new role's behavior otherwise. */
  private Behavior<Command> next(RaftNode.Role role) {
    return core.role() == role ? Behaviors.same() : behavior();
  }

  /** Carries out what the core decided, in the order {@link Ready} states. */
  private void carryOut(Ready ready) {
    if (ready.isEmpty()) return;
    if (ready.persist() != null) {
      durableLog.tell(new RaftLog.Persist(ready.persist().batch(), ready.persist().events(), logReplies));
    }
    if (ready.snapshotAdopted() != null) {
      Ready.SnapshotAdopted a = ready.snapshotAdopted();
      snapshots.adopted(a.file(), a.batch(), a.installed());
    }
    for (Ready.Outgoing out : ready.messages()) send(out.to(), out.message());
    for (Ready.SnapshotChunk chunk : ready.snapshotChunks()) sendChunk(chunk);
    if (ready.receiveChunk() != null) receiveChunk(ready.receiveChunk());
    if (!ready.committed().isEmpty()) apply(ready.committed());
    for (Ready.ServeRead r : ready.reads()) answerRead(r.query(), r.replyTo());
    for (Ready.Answer a : ready.answers()) a.replyTo().reply(a.reply());
    if (ready.replicateSoon()) ctx.getSelf().tell(RaftNode.Replicate.INSTANCE);
  }

  private void send(int to, RaftMessage message) {
    if (to == id) {
      ctx.getSelf().tell(new Own(message));
    } else {
      ActorRef<RaftMessage> peer = peer(to);
      if (peer != null) peer.tell(authenticator.seal(to, incarnation == 0 ? message : new RaftMessage.Identified(core.clusterId(), incarnation, message)));
    }
  }

  /** A peer's message: its proof of sender checked ({@link PeerAuthenticator}), then its identity stamp taken off. */
  private Behavior<Command> received(RaftNode.Role role, RaftMessage m) {
    PeerAuthenticator.Opened opened = authenticator.open(m);
    if (opened.refusal() != null) {
      RaftMessage inner = m instanceof RaftMessage.Vouched v ? v.message() : m;
      RaftMessage bare = inner instanceof RaftMessage.Identified i ? i.message() : inner;
      observer.peerMessageInvalid(id, m.from(), bare.getClass().getSimpleName(), opened.refusal());
      return Behaviors.same();
    }
    RaftMessage inner = opened.message();
    return step(role, inner instanceof RaftMessage.Identified i ? new Input.Message(i.message(), i.clusterId(), i.incarnation()) : new Input.Message(inner));
  }

  /** The ref of peer {@code id}, resolved once per configuration (its address may change with it). */
  private ActorRef<RaftMessage> peer(int id) {
    if (peerRefsConfiguration != core.configurationIndex()) {
      peerRefs.clear();
      peerRefsConfiguration = core.configurationIndex();
    }
    ActorRef<RaftMessage> ref = peerRefs.get(id);
    if (ref == null) {
      ref = peers.peer(id, core.configuration().member(id));
      if (ref != null) peerRefs.put(id, ref);
    }
    return ref;
  }

  /** Reads one chunk of the snapshot file and sends it; a chunk that cannot be read is lost, and sent again on the resend timeout. */
  private void sendChunk(Ready.SnapshotChunk chunk) {
    byte[] data;
    try {
      data = snapshots.chunk(chunk.file(), chunk.offset());
    } catch (IOException e) {
      ctx.getLog().error("Cannot read snapshot file {} to send it to node {}: {}", chunk.file().fileName(), chunk.to(), e.toString());
      return;
    }
    send(chunk.to(), chunk.message(data));
  }

  // ---- apply and reads ----

  private void apply(List<Ready.Apply> entries) {
    observer.applyStarted(id);
    long bytes = 0;
    for (Ready.Apply a : entries) {
      LogEntry entry = a.entry();
      boolean noop = entry.command() instanceof Noop || entry.command() instanceof Configuration; // Raft's own entries
      StateMachineResult result = noop ? null : stateMachine.apply(entry.index(), entry.command());
      int commandBytes = noop ? 0 : entry.command().sizeBytes();
      snapshots.applied(commandBytes);
      bytes += commandBytes;
      observer.applied(id, entry);
      if (a.proposer() != null) a.proposer().reply(new RaftNode.Applied(entry.index(), entry.term(), result));
    }
    observer.applyEnded(id, entries.get(0).entry().index(), entries.get(entries.size() - 1).entry().index(), entries.size(), bytes);
    maybeSnapshot();
  }

  /** Answers a read from the state machine as it is now: as of the core's last applied entry. */
  private void answerRead(StateMachineCommand query, Replier replyTo) {
    StateMachineResult result;
    try {
      result = stateMachine.query(query);
    } catch (IllegalArgumentException e) {
      replyTo.reply(new RaftNode.Refused("not a read: " + e.getMessage()));
      return;
    }
    replyTo.reply(new RaftNode.ReadDone(core.lastApplied(), result));
  }

  // ---- snapshots ----

  /**
   * Starts a snapshot when one is due (or when the log's snapshot is still inline, from an older
   * build, and so cannot be sent in chunks): the state machine is pinned at the last applied entry
   * and written to a file in the background while entries go on being applied (§7; dissertation
   * §5.2's copy-on-write approach). The log is compacted once the file is written.
   */
  private void maybeSnapshot() {
    long lastApplied = core.lastApplied();
    long logSnapshot = core.snapshotIndex();
    boolean inline = snapshots.current() == null && logSnapshot > 0;
    if (snapshots.writing() || lastApplied <= logSnapshot && !(inline && lastApplied == logSnapshot)) return;
    if (!inline && !snapshots.due(lastApplied - logSnapshot)) return;
    SnapshotWriter pinned = stateMachine.pinSnapshot();
    // The log's index, not the machine's own: no-ops are not given to the machine, so its last
    // applied index may lag lastApplied, and the state is the same at both.
    long index = lastApplied;
    long term = core.termAt(index);
    SnapshotWriter writer = new SnapshotWriter() {
      @Override
      public long index() {
        return index;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        pinned.writeTo(out);
      }
    };
    observer.snapshotStarted(id, SnapshotKind.TAKEN);
    ActorRef<Command> self = ctx.getSelf();
    snapshots.write(term, writer, self::tell);
  }

  /** The background write ended: on success the core compacts its log through the snapshot. */
  private void onSnapshotWritten(RaftNode.SnapshotWritten w) {
    stateMachine.releaseSnapshot();
    SnapshotRef file = snapshots.written(w, core.snapshotIndex());
    if (w.failure() != null) {
      ctx.getLog().error("Snapshot at index {} could not be written, will retry: {}", w.index(), w.failure());
      return;
    }
    if (file == null) return; // a leader's snapshot replaced the log's meanwhile
    ctx.getLog().info("Snapshot through index {} written: {} bytes in {} ms", file.index(), file.sizeBytes(), w.writeNanos() / 1_000_000);
    observer.snapshotWritten(id, file.index(), file.sizeBytes(), w.writeNanos());
    Ready ready = core.step(new Input.SnapshotTaken(file));
    observer.snapshotEnded(id, SnapshotKind.TAKEN, file.index(), file.term(), file.sizeBytes());
    carryOut(ready);
  }

  /** Stores a chunk of a leader's snapshot; once the file is complete and verified, installs it. */
  private void receiveChunk(RaftMessage.InstallSnapshot is) {
    Object outcome;
    try {
      outcome = snapshots.receive(is);
    } catch (IOException e) {
      ctx.getLog().error("Receiving snapshot {}@{} from node {} failed; it will be sent again: {}", is.lastIncludedIndex(),
          is.lastIncludedTerm(), is.leaderId(), e.toString());
      snapshots.abandonReceive();
      outcome = 0L;
    }
    if (outcome instanceof Long next) {
      carryOut(core.step(new Input.SnapshotChunkStored(is, next)));
      return;
    }
    SnapshotRef file = (SnapshotRef) outcome;
    observer.snapshotStarted(id, SnapshotKind.INSTALLED);
    long started = System.nanoTime();
    try (InputStream in = snapshots.open(file)) {
      stateMachine.restore(in); // decoded in full before the machine changes: a refused one leaves it as it was
    } catch (IOException | RuntimeException e) {
      // Its bytes match the checksum the leader sent, yet they are no snapshot: the leader's is damaged, or the sender lies.
      // Not installed (the file goes with the next prune); the leader sends it again, and an operator sees why.
      ctx.getLog().error("Snapshot {}@{} from node {} cannot be restored, not installed: {}", file.index(), file.term(), is.leaderId(),
          e.toString());
      observer.peerMessageInvalid(id, is.leaderId(), "InstallSnapshot", "snapshot " + file.index() + " cannot be restored: " + e);
      return;
    }
    ctx.getLog().info("Installed the leader's snapshot through index {}: {} bytes, restored in {} ms", file.index(), file.sizeBytes(),
        (System.nanoTime() - started) / 1_000_000);
    Ready ready = core.step(new Input.SnapshotInstalled(is, file));
    observer.snapshotEnded(id, SnapshotKind.INSTALLED, file.index(), file.term(), file.sizeBytes());
    carryOut(ready);
  }

  private void restore(InputStream in, String what) {
    try (InputStream stream = in) {
      stateMachine.restore(stream);
    } catch (IOException e) {
      throw new UncheckedIOException("node " + id + " cannot restore its state machine from " + what, e);
    }
  }
}
