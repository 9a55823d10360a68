package io.raftkv.persistence.raftlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.raftlog.RaftLogEvent.TermAdvanced;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Raft log whose journal or snapshot store cannot be opened (its RocksDB {@code CURRENT} file
 * overwritten with garbage, as a damaged disk would leave it) fails its recovery at once, with the
 * plugin's reason in the failure, so its node can stop itself and say why; before, the plugin
 * never started and the recovery timed out 30 s later with no reason.
 */
class RaftLogUnusableStoreTest {
  /** Far below Pekko's 30 s recovery timeout: the failure must come from the plugin, not the timeout. */
  private static final Duration FAILS_WITHIN = Duration.ofSeconds(10);

  /** Spawns the log as a watched child and reports how it stopped: its failure, or an AssertionError if it just stopped. */
  private static Behavior<Void> watching(ActorRef<Throwable> report) {
    return Behaviors.setup(ctx -> {
      ctx.watch(ctx.spawn(RaftLog.create(1), "raft-log"));
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, t -> {
            report.tell(t instanceof ChildFailed f ? f.getCause() : new AssertionError("stopped without a failure"));
            return Behaviors.stopped();
          })
          .build();
    });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"journal", "snapshots"})
  void aCorruptStoreFailsTheRecoveryAtOnceNamingTheDirectory(String store) {
    Path dataDir = RaftLogTestConfig.freshDir("raftlog-unusable-" + store);
    ActorTestKit first = ActorTestKit.create("raftlog", RaftLogTestConfig.config(dataDir));
    try {
      ActorRef<RaftLog.Command> log = first.spawn(RaftLog.create(1));
      TestProbe<RaftLog.Reply> acks = first.createTestProbe();
      log.tell(new RaftLog.Persist(1, List.of(new TermAdvanced(1)), acks.ref()));
      assertEquals(new RaftLog.Persisted(1), acks.receiveMessage(FAILS_WITHIN));
    } finally {
      first.shutdownTestKit(); // closes both databases
    }
    Path current = dataDir.resolve(store).resolve("CURRENT");
    assertTrue(Files.isRegularFile(current), "RocksDB's CURRENT in " + current.getParent());
    try {
      Files.writeString(current, "garbage, not the name of a manifest\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    ActorTestKit second = ActorTestKit.create("raftlog", RaftLogTestConfig.config(dataDir));
    try {
      TestProbe<Throwable> stopped = second.createTestProbe();
      long start = System.nanoTime();
      second.spawn(watching(stopped.ref()));
      Throwable failure = stopped.receiveMessage(FAILS_WITHIN);
      StringBuilder chain = new StringBuilder();
      for (Throwable t = failure; t != null; t = t.getCause()) chain.append(t).append('\n');
      System.out.printf("%s: recovery failed in %d ms:%n%s", store, (System.nanoTime() - start) / 1_000_000, chain);
      String setting = "raftkv.persistence." + (store.equals("journal") ? "journal" : "snapshot-store") + ".dir";
      assertTrue(chain.toString().contains("cannot open the RocksDB database in " + setting + " = " + dataDir.resolve(store)),
          chain.toString());
    } finally {
      second.shutdownTestKit();
    }
  }
}
