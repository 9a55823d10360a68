package io.raftkv.node;

import io.raftkv.persistence.kv.KvStateMachine;
import io.raftkv.persistence.serialization.RaftkvSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Answers how large this node's key-value state is against its space quota ({@code /user/state-size}),
 * so that {@code GET /v1/cluster} on any node can show every member's. It reads the state machine's
 * volatile counters and never waits on the Raft node, so a busy or recovering node still answers.
 */
public final class StateSizeReporter {
  /** Asks for a {@link StateSize}. */
  public record GetStateSize(ActorRef<StateSize> replyTo) implements RaftkvSerializable {}

  /**
   * One node's state size ({@link KvStateMachine#stateBytes()}) and quota, both in bytes.
   *
   * @param nodeId the answering node
   */
  public record StateSize(int nodeId, long stateBytes, long quotaBytes) implements RaftkvSerializable {
    /** The NOSPACE alarm: the state is over the quota, so writes that would grow it are refused. */
    public boolean alarm() {
      return stateBytes > quotaBytes;
    }
  }

  private StateSizeReporter() {}

  static Behavior<GetStateSize> create(int nodeId, KvStateMachine machine) {
    return Behaviors.receiveMessage(get -> {
      get.replyTo().tell(new StateSize(nodeId, machine.stateBytes(), machine.quotaBytes()));
      return Behaviors.same();
    });
  }
}
