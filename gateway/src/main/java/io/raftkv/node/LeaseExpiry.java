package io.raftkv.node;

import io.raftkv.kv.LeaseClock;
import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvStateMachine;
import io.raftkv.raft.RaftNode;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Every node observes its state machine's leases every {@link #CHECK_INTERVAL} ({@link LeaseClock});
 * when one ran out, it proposes the expiry to its Raft node, which takes it only as leader (a
 * follower answers "not the leader", and the answer is dropped). Every node observes, not only the
 * leader, so that a new leader already knows when each lease was last kept alive.
 */
final class LeaseExpiry {
  /** How often the leases are observed: the precision of an expiry, beside the apply lag. */
  static final Duration CHECK_INTERVAL = Duration.ofMillis(100);
  /** When an expiry proposed is not applied by then (lost with a leader), it is proposed again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private enum Check { TICK }

  private LeaseExpiry() {}

  static Behavior<Check> create(KvStateMachine stateMachine, ActorRef<RaftNode.Command> raft) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Check.TICK, CHECK_INTERVAL);
      LeaseClock clock = new LeaseClock(1_000_000_000L, RETRY_AFTER.toNanos());
      ActorRef<RaftNode.ClientReply> ignore = ctx.getSystem().ignoreRef();
      return Behaviors.receiveMessage(tick -> {
        List<KvCommand.LeaseExpire> due = clock.observe(stateMachine.leases(), System.nanoTime());
        for (KvCommand.LeaseExpire expire : due) {
          raft.tell(new RaftNode.Propose(expire, ignore));
        }
        return Behaviors.same();
      });
    }));
  }
}
