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
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

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
  private final int eventsPerPekkoSnapshot;

  private RaftLog(PersistenceId id, int nodeId, int eventsPerPekkoSnapshot) {
    super(id);
    this.nodeId = nodeId;
    this.eventsPerPekkoSnapshot = eventsPerPekkoSnapshot;
  }

  /**
   * @param nodeId the Raft node whose log this is (one log per node and data directory)
   * @param eventsPerPekkoSnapshot how many events between two Pekko snapshots of this state; events
   *     before the older kept snapshot are deleted from the journal, which bounds recovery time
   */
  public static Behavior<Command> create(int nodeId, int eventsPerPekkoSnapshot) {
    if (eventsPerPekkoSnapshot < 1) throw new IllegalArgumentException("eventsPerPekkoSnapshot must be >= 1");
    return new RaftLog(PersistenceId.ofUniqueId("raft-log-" + nodeId), nodeId, eventsPerPekkoSnapshot);
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
    PersistEvent jfr = new PersistEvent();
    if (!jfr.isEnabled()) return Effect().persist(p.events()).thenReply(p.replyTo(), s -> new Persisted(p.seq()));
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
      }
    }
    return Effect().persist(p.events()).thenRun(s -> jfr.commit()).thenReply(p.replyTo(), s -> new Persisted(p.seq()));
  }

  @Override
  public EventHandler<RaftLogState, RaftLogEvent> eventHandler() {
    return RaftLogState::apply;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // The Pekko snapshot is saved (synced) before the events it covers are deleted.
    return RetentionCriteria.snapshotEvery(eventsPerPekkoSnapshot, 2).withDeleteEventsOnSnapshot();
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
