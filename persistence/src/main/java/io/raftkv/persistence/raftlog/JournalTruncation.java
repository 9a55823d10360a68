package io.raftkv.persistence.raftlog;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;

/**
 * Deletes a log's journal events before its latest {@link RaftLogEvent.Checkpoint}.
 *
 * <p>Why not Pekko's own retention: Pekko Persistence Typed deletes events only behind one of its
 * snapshots of the behavior's state, and this log's state holds every entry since the last Raft
 * snapshot (up to {@code snapshot-log-bytes-max}); saving that as one snapshot every few thousand
 * events would write the log again and again, through one serialization buffer. A checkpoint
 * event holds everything instead, so the events before it can simply go. The request is Pekko's
 * journal protocol message, sent to the journal plugin's actor: the same message a classic
 * persistent actor's {@code deleteMessages} sends. The journal's answer comes to a small actor of
 * this log's, which logs a failure (the events are then deleted with the next checkpoint).
 */
final class JournalTruncation {
  private final org.apache.pekko.actor.ActorRef journal;
  private final org.apache.pekko.actor.ActorRef replies;
  private final String persistenceId;

  JournalTruncation(ActorContext<?> ctx, String persistenceId, String journalPluginId) {
    this.journal = Persistence.get(Adapter.toClassic(ctx.getSystem()))
        .journalFor(journalPluginId, com.typesafe.config.ConfigFactory.empty());
    this.replies = Adapter.toClassic(ctx.spawn(replies(), "journal-deletions"));
    this.persistenceId = persistenceId;
  }

  /** Deletes the events with sequence numbers up to {@code toSequenceNr}. */
  void deleteTo(long toSequenceNr) {
    if (toSequenceNr < 1) return;
    journal.tell(new JournalProtocol.DeleteMessagesTo(persistenceId, toSequenceNr, replies), replies);
  }

  private static Behavior<Object> replies() {
    return Behaviors.setup(ctx -> Behaviors.receive(Object.class)
        .onMessage(org.apache.pekko.persistence.DeleteMessagesFailure.class, f -> {
          ctx.getLog().warn("Deleting journal events up to {} failed; they go with the next checkpoint: {}", f.toSequenceNr(),
              f.cause().toString());
          return Behaviors.same();
        })
        .onAnyMessage(m -> Behaviors.same())
        .build());
  }

}
