package io.raftkv.persistence.raftlog;

import io.raftkv.jfr.PersistEvent;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The durable Raft log of one node: term, vote, entries and the Raft snapshot, event-sourced.
 *
 * <p>Its protocol is what the Raft node needs and nothing more: {@link Load} once at start, then
 * {@link Persist} batches that are acknowledged with {@link Persisted} only once the journal has
 * made them durable (the RocksDB journal acknowledges after its synced write). Batches are
 * persisted in the order they arrive, one at a time (Pekko stashes commands while a persist is in
 * flight), so an acknowledgement of batch {@code seq} means every earlier batch is durable too.
 * The node coalesces what accumulates meanwhile into its next batch: that is the group commit.
 *
 * <p>The journal keeps the events since the last {@link RaftLogEvent.Checkpoint}: once a batch
 * holding one is durable, the events before it are deleted ({@link JournalTruncation}). No Pekko
 * snapshot of this state is taken (a journal written by an older build may still hold one, and it
 * is read at recovery).
 *
 * <p>Each batch is a {@link PersistEvent} in a flight recording (timed from this actor's receipt of
 * the command to the journal's acknowledgement).
 */
public final class RaftLog extends EventSourcedBehaviorWithEnforcedReplies<RaftLog.Command, RaftLogEvent, RaftLogState> {

  /** Requests to the log. Local only: a log always runs in its node's JVM, so these never cross the wire. */
  public sealed interface Command {}

  /** Asks for the recovered durable state; answered with {@link Loaded}. */
  public record Load(ActorRef<Reply> replyTo) implements Command {}

  /**
   * Persists {@code events} atomically; answered with {@link Persisted} once they are durable.
   *
   * @param seq the node's batch number, echoed back; batches are numbered 1, 2, ... per incarnation
   */
  public record Persist(long seq, List<RaftLogEvent> events, ActorRef<Reply> replyTo) implements Command {
    public Persist {
      events = List.copyOf(events);
      if (events.isEmpty()) throw new IllegalArgumentException("empty batch " + seq);
    }
  }

  /** Answers from the log (local only, like the requests). */
  public sealed interface Reply {}

  /** The durable state as recovered. */
  public record Loaded(RaftLogState state) implements Reply {}

  /** Batch {@code seq}, and so every batch before it, is durable. */
  public record Persisted(long seq) implements Reply {}

  private final int nodeId;
  private final ActorContext<Command> ctx;
  private final JournalTruncation truncation;

  private RaftLog(PersistenceId id, int nodeId, ActorContext<Command> ctx) {
    super(id);
    this.nodeId = nodeId;
    this.ctx = ctx;
    this.truncation = new JournalTruncation(ctx, id.id(), ctx.getSystem().settings().config().getString("pekko.persistence.journal.plugin"));
  }

  /** @param nodeId the Raft node whose log this is (one log per node and data directory) */
  public static Behavior<Command> create(int nodeId) {
    return Behaviors.setup(ctx -> new RaftLog(PersistenceId.ofUniqueId("raft-log-" + nodeId), nodeId, ctx));
  }



  @Override
  public RaftLogState emptyState() {
    return RaftLogState.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, RaftLogEvent, RaftLogState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Load.class, (state, load) -> Effect().reply(load.replyTo(), new Loaded(state)))
        .onCommand(Persist.class, (state, p) -> onPersist(p))
        .build();
  }

  private ReplyEffect<RaftLogEvent, RaftLogState> onPersist(Persist p) {
    PersistEvent jfr = beginPersistEvent(p);
    int checkpointAt = lastCheckpoint(p.events());
    // A checkpoint's sequence number: the batch's last one, less the events after it.
    int afterCheckpoint = p.events().size() - 1 - checkpointAt;
    return Effect().persist(p.events())
        .thenRun(s -> {
          if (jfr != null) jfr.commit();
          if (checkpointAt >= 0) truncation.deleteTo(lastSequenceNumber(ctx) - afterCheckpoint - 1);
        })
        .thenReply(p.replyTo(), s -> new Persisted(p.seq()));
  }

  /** A begun event for batch {@code p} if a recording wants persist events, else null. */
  private PersistEvent beginPersistEvent(Persist p) {
    PersistEvent jfr = new PersistEvent();
    if (!jfr.isEnabled()) return null;
    jfr.begin();
    jfr.nodeId = nodeId;
    jfr.seq = p.seq();
    jfr.events = p.events().size();
    for (RaftLogEvent e : p.events()) {
      if (e instanceof RaftLogEvent.EntriesAppended a) {
        jfr.entries += a.entries().size();
        for (LogEntry entry : a.entries()) jfr.bytes += entry.command().sizeBytes();
      } else if (e instanceof RaftLogEvent.SnapshotTaken t) {
        jfr.bytes += t.data().length;
      } // a snapshot file's reference: its bytes were written beside the journal
    }
    return jfr;
  }

  /** The position of the last checkpoint in {@code events}, or -1. */
  private static int lastCheckpoint(List<RaftLogEvent> events) {
    for (int i = events.size() - 1; i >= 0; i--) if (events.get(i) instanceof RaftLogEvent.Checkpoint) return i;
    return -1;
  }

  @Override
  public EventHandler<RaftLogState, RaftLogEvent> eventHandler() {
    return RaftLogState::apply;
  }

  @Override
  public SnapshotAdapter<RaftLogState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(RaftLogState state) {
        return RaftLogSnapshot.of(state);
      }

      @Override
      public RaftLogState fromJournal(Object from) {
        return ((RaftLogSnapshot) from).toState();
      }
    };
  }
}
