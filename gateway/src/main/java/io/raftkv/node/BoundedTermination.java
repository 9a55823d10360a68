package io.raftkv.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a node's actor system counts as stopped: once it has terminated, or at the latest
 * {@link #TERMINATE_WAIT_MAX} after its coordinated shutdown reached its last phase.
 *
 * <p>Why a bound: every phase of the coordinated shutdown is bounded, but the termination itself
 * may never end. Pekko 1.7's Artery waits without a deadline for its remoting streams to complete
 * (Pekko fixed it after 1.7 with {@code shutdown-streams-timeout}); with {@code tls-tcp} a node
 * stopping while its peers stop too was seen to wait for ever, so a test's clean stop, or a
 * removed node's exit, hung. By then the node has left the cluster and its actors are stopped;
 * what remains is a stream's threads, and the caller goes on (a process exits).
 */
final class BoundedTermination {
  /**
   * How long after the last shutdown phase began the termination is waited for. A stream that is
   * handshaking ends by Artery's handshake-timeout (20 s) after that phase's own timeout (10 s), and
   * then the termination does end: 20 s gave up on such a node, whose port stayed bound (seen in
   * PeerTlsClusterTest, where the next node at that port could not bind it). 60 s covers both twice.
   */
  static final Duration TERMINATE_WAIT_MAX = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(BoundedTermination.class);

  private BoundedTermination() {}

  /** Completes with true when {@code system} terminated, with false when it was given up on (and says so in the log). */
  static CompletionStage<Boolean> of(ActorSystem<?> system, int nodeId) {
    return of(system, nodeId, TERMINATE_WAIT_MAX);
  }

  /** The same, waiting {@code waitMax} for the termination (tests). */
  static CompletionStage<Boolean> of(ActorSystem<?> system, int nodeId, Duration waitMax) {
    CompletableFuture<Void> lastPhase = new CompletableFuture<>();
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "raftkv-bounded-termination", () -> {
      lastPhase.complete(null);
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    CompletableFuture<Boolean> terminated = system.getWhenTerminated().toCompletableFuture().handle((t, e) -> true);
    // The JDK's delayed executor, not the actor system's scheduler: that one stops with the system.
    CompletableFuture<Boolean> givenUp = lastPhase.thenApplyAsync(v -> false,
        CompletableFuture.delayedExecutor(waitMax.toMillis(), TimeUnit.MILLISECONDS));
    return terminated.applyToEither(givenUp, done -> {
      if (!done && !terminated.isDone()) {
        LOG.warn("node {}: its actor system has not terminated {} s after its last shutdown phase began (a remoting stream that never "
            + "completed); the node has left the cluster and stopped its actors, so it counts as stopped", nodeId, waitMax.toSeconds());
      }
      return done || terminated.isDone();
    });
  }
}
