package io.raftkv.raft.realjournal;

import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Stands in for a node in its peers' maps, so that the peers can be created first (a node needs
 * its peers' refs when it is created): holds messages until it is told its node, then forwards.
 */
public final class Relay {
  /** Tells the relay where to forward. */
  public record Target(ActorRef<RaftNode.Command> node) {}

  private static final int HELD_MAX = 1_000;

  private Relay() {}

  public static Behavior<Object> create() {
    return Behaviors.withStash(
        HELD_MAX,
        held ->
            Behaviors.receive(Object.class)
                .onMessage(Target.class, t -> held.unstashAll(forwarding(t.node())))
                .onAnyMessage(
                    m -> {
                      if (!held.isFull()) held.stash(m); // else dropped, as a network may drop it
                      return Behaviors.same();
                    })
                .build());
  }

  /** A relay for a node that is down until it is told its node: what is sent to it before then is lost. */
  public static Behavior<Object> dropping() {
    return Behaviors.receive(Object.class)
        .onMessage(Target.class, t -> forwarding(t.node()))
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  private static Behavior<Object> forwarding(ActorRef<RaftNode.Command> node) {
    return Behaviors.receive(Object.class)
        .onMessage(RaftMessage.class, m -> {
          node.tell(m);
          return Behaviors.same();
        })
        .build();
  }

  /** The relay as a peer ref. */
  public static ActorRef<RaftMessage> asPeer(ActorRef<Object> relay) {
    return relay.narrow();
  }
}
