package io.raftkv.persistence.journal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The child JVM of {@link JournalKillNineTest}: persists events one at a time through a {@link
 * TestEventLog} on the RocksDB journal (fsync = on) and prints {@code ACK <seqNr>} the moment each
 * persist is acknowledged, until it has persisted {@code args[1]} events or is killed.
 *
 * <p>Usage: {@code JournalKillNineChild <data dir> <event count>}
 */
public final class JournalKillNineChild {
  static final String ACK = "ACK ";
  /** Bounds a hung journal only; a synced write takes about a millisecond. */
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private JournalKillNineChild() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Paths.get(args[0]);
    int events = Integer.parseInt(args[1]);
    ActorSystem<TestEventLog.Command> system =
        ActorSystem.create(
            TestEventLog.create(JournalKillNineTest.PERSISTENCE_ID),
            "kill-nine-child",
            TestConfigs.plugins(dataDir, true));
    try {
      for (int i = 0; i < events; i++) {
        long seqNr =
            AskPattern.<TestEventLog.Command, Long>ask(
                    system, TestEventLog.Append::new, ACK_TIMEOUT, system.scheduler())
                .toCompletableFuture()
                .get();
        System.out.println(ACK + seqNr);
        System.out.flush(); // the parent must see it now, not when a buffer fills
      }
    } finally {
      system.terminate();
    }
  }
}
