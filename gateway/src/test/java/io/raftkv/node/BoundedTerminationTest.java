package io.raftkv.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/** A node's stop ends: when its actor system terminates, and else a bounded time after the last shutdown phase began. */
class BoundedTerminationTest {
  private static ActorSystem<Void> system() {
    return ActorSystem.create(Behaviors.empty(), "bounded", ConfigFactory.parseString("pekko.loglevel = WARNING").withFallback(ConfigFactory.load()));
  }

  @Test
  void aSystemThatTerminatesCountsAsTerminated() throws Exception {
    ActorSystem<Void> system = system();
    var stopped = BoundedTermination.of(system, 1, Duration.ofSeconds(30)).toCompletableFuture();
    assertFalse(stopped.isDone(), "not stopped before it is told to");
    system.terminate();
    assertTrue(stopped.get(30, TimeUnit.SECONDS), "it terminated");
  }

  @Test
  void aSystemWhoseTerminationNeverEndsIsGivenUpOnAfterTheBound() throws Exception {
    ActorSystem<Void> system = system();
    CountDownLatch release = new CountDownLatch(1);
    // A termination callback that does not return holds whenTerminated back, as a remoting stream that never completes does.
    system.classicSystem().registerOnTermination(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      var stopped = BoundedTermination.of(system, 1, Duration.ofSeconds(1)).toCompletableFuture();
      system.terminate();
      // The terminate phase's own 10 s timeout, then the bound: well inside 60 s.
      assertFalse(stopped.get(60, TimeUnit.SECONDS), "given up on, not terminated");
      assertFalse(system.whenTerminated().isCompleted(), "the system is still terminating");
    } finally {
      release.countDown();
    }
  }
}
