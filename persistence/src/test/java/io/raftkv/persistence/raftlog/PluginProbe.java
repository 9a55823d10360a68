package io.raftkv.persistence.raftlog;

import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;

/**
 * Reads what the system's journal and snapshot store plugins hold, through Pekko's own plugin
 * protocol (what a persistent actor's recovery sends), without a persistent actor.
 */
final class PluginProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private PluginProbe() {}

  static String persistenceId(int nodeId) {
    return "raft-log-" + nodeId; // as RaftLog.create names it; part of the stored format
  }

  /** Every event the journal still holds for {@code persistenceId}, in sequence number order. */
  static List<PersistentRepr> events(ActorSystem<?> system, String persistenceId) {
    TestProbe<Object> probe = TestProbe.create(system);
    try {
      var replyTo = Adapter.toClassic(probe.ref());
      Persistence.get(system.classicSystem())
          .journalFor("", ConfigFactory.empty())
          .tell(new JournalProtocol.ReplayMessages(1, Long.MAX_VALUE, Long.MAX_VALUE, persistenceId, replyTo), replyTo);
      List<PersistentRepr> events = new ArrayList<>();
      while (true) {
        Object m = probe.receiveMessage(TIMEOUT);
        if (m instanceof JournalProtocol.ReplayedMessage r) {
          events.add(r.persistent());
        } else if (m instanceof JournalProtocol.RecoverySuccess) {
          return events;
        } else {
          return fail("replay of " + persistenceId + " answered " + m);
        }
      }
    } finally {
      probe.stop();
    }
  }

  /** The journal's highest sequence number for {@code persistenceId} (kept when events are deleted). */
  static long highestSequenceNr(ActorSystem<?> system, String persistenceId) {
    TestProbe<Object> probe = TestProbe.create(system);
    try {
      var replyTo = Adapter.toClassic(probe.ref());
      // Replaying nothing (max = 0) still reports the highest sequence number.
      Persistence.get(system.classicSystem())
          .journalFor("", ConfigFactory.empty())
          .tell(new JournalProtocol.ReplayMessages(1, Long.MAX_VALUE, 0, persistenceId, replyTo), replyTo);
      Object m = probe.receiveMessage(TIMEOUT);
      if (m instanceof JournalProtocol.RecoverySuccess s) return s.highestSequenceNr();
      return fail("replay of " + persistenceId + " answered " + m);
    } finally {
      probe.stop();
    }
  }

  /** The latest Pekko snapshot of {@code persistenceId} at or before {@code maxSequenceNr}, if any. */
  static Optional<SelectedSnapshot> snapshot(ActorSystem<?> system, String persistenceId, long maxSequenceNr) {
    TestProbe<Object> probe = TestProbe.create(system);
    try {
      var replyTo = Adapter.toClassic(probe.ref());
      Persistence.get(system.classicSystem())
          .snapshotStoreFor("", ConfigFactory.empty())
          .tell(
              new SnapshotProtocol.LoadSnapshot(
                  persistenceId, SnapshotSelectionCriteria.create(maxSequenceNr, Long.MAX_VALUE), Long.MAX_VALUE),
              replyTo);
      Object m = probe.receiveMessage(TIMEOUT);
      if (m instanceof SnapshotProtocol.LoadSnapshotResult r) {
        return r.snapshot().isDefined() ? Optional.of(r.snapshot().get()) : Optional.empty();
      }
      return fail("loading a snapshot of " + persistenceId + " answered " + m);
    } finally {
      probe.stop();
    }
  }
}
