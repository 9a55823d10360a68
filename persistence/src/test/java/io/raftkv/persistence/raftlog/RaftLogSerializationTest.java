package io.raftkv.persistence.raftlog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.serialization.RecordSamples;
import io.raftkv.persistence.serialization.SerializationRoundTrip;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything the Raft log persists survives Pekko serialization: every {@link RaftLogEvent} (found
 * through the sealed hierarchy, so a new event cannot be forgotten) and the Pekko snapshot form.
 */
class RaftLogSerializationTest {
  private static final ActorTestKit kit = ActorTestKit.create(RaftLogTestConfig.serializationOnly());

  /**
   * Commands inside entries: the generic sampler cannot build an interface that is not sealed; a
   * member: a voter is never also "to be promoted", which generated values would make it.
   */
  private static final Map<Class<?>, Supplier<?>> OVERRIDES =
      Map.of(StateMachineCommand.class, () -> new TestWrite("sample", 42),
          Member.class, () -> new Member(7, "node-7.example", 25527, 8087, -3L, false, true));

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static Stream<Named<Object>> persisted() {
    List<Object> all = new ArrayList<>(RecordSamples.of(RaftLogEvent.class, null, OVERRIDES));
    all.addAll(RecordSamples.of(RaftLogSnapshot.class, null, OVERRIDES));
    return all.stream().map(v -> Named.of(v.getClass().getSimpleName(), v));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("persisted")
  void roundTrips(Object value) {
    SerializationRoundTrip.assertRoundTrips(kit.system(), value);
  }

  @Test
  void entriesWithEveryKindOfCommandRoundTrip() {
    var appended =
        new RaftLogEvent.EntriesAppended(
            List.of(new LogEntry(1, 1, Noop.INSTANCE), new LogEntry(2, 1, new TestWrite("k", -1)), new LogEntry(3, 2, Noop.INSTANCE)));
    SerializationRoundTrip.assertRoundTrips(kit.system(), appended);
    RaftLogState state =
        RaftLogState.empty().apply(new RaftLogEvent.TermAdvanced(2)).apply(appended).apply(new RaftLogEvent.SnapshotTaken(1, 1, new byte[] {5}));
    RaftLogSnapshot copy = SerializationRoundTrip.assertRoundTrips(kit.system(), RaftLogSnapshot.of(state));
    assertTrue(copy.entries().get(1).command() instanceof Noop);
  }

  @Test
  void aConfigurationEntryRoundTrips() {
    Configuration c = Configuration.bootstrap(List.of(1, 2, 3)).with(new Member(4, "127.0.0.1", 25524, 8084, 99, false, true)).withClusterId(5);
    var appended = new RaftLogEvent.EntriesAppended(List.of(new LogEntry(1, 1, Noop.INSTANCE), new LogEntry(2, 1, c)));
    RaftLogEvent.EntriesAppended copy = SerializationRoundTrip.assertRoundTrips(kit.system(), appended);
    assertTrue(copy.entries().get(1).command().equals(c));
  }

  @Test
  void anEmptyStateRoundTrips() {
    SerializationRoundTrip.assertRoundTrips(kit.system(), RaftLogSnapshot.of(RaftLogState.empty()));
  }
}
