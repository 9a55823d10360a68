package io.raftkv.persistence.journal;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * A persistent actor whose events are Strings {@code "e-<seqNr>"} (Strings go through Pekko's
 * built-in serializer, so no test depends on the Kryo serializer). Its state is the list of its
 * events, in order. Uses whatever journal and snapshot store the ActorSystem is configured with.
 */
final class TestEventLog extends EventSourcedBehavior<TestEventLog.Command, String, List<String>> {
  interface Command {}

  /** Persist the next event; once the journal has acknowledged it, reply with its seqNr. */
  record Append(ActorRef<Long> replyTo) implements Command {}

  /** Reply with every event, in order (after recovery, that is what the journal replayed). */
  record GetEvents(ActorRef<List<String>> replyTo) implements Command {}

  static Behavior<Command> create(String persistenceId) {
    return new TestEventLog(PersistenceId.ofUniqueId(persistenceId));
  }

  private TestEventLog(PersistenceId persistenceId) {
    super(persistenceId);
  }

  @Override
  public List<String> emptyState() {
    return new ArrayList<>();
  }

  @Override
  public CommandHandler<Command, String, List<String>> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(
            Append.class,
            (events, append) ->
                Effect()
                    .persist("e-" + (events.size() + 1))
                    .thenRun(after -> append.replyTo().tell((long) after.size())))
        .onCommand(
            GetEvents.class,
            (events, get) -> Effect().none().thenRun(s -> get.replyTo().tell(List.copyOf(s))))
        .build();
  }

  @Override
  public EventHandler<List<String>, String> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent(
            (events, event) -> {
              events.add(event);
              return events;
            });
  }
}
