package io.raftkv.raft.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.persistence.raftlog.Noop;
import io.raftkv.persistence.serialization.RaftkvSerializable;
import io.raftkv.persistence.serialization.RecordSamples;
import io.raftkv.persistence.serialization.SerializationRoundTrip;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.persistence.statemachine.StateMachineResult;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every message that crosses the wire round-trips through Pekko serialization with the Kryo
 * serializer. The records are found by walking the sealed hierarchies, so a new message that is
 * not registered under {@code raftkv.kryo.classes} fails here.
 */
class RaftWireSerializationTest {
  static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString("pekko.actor.provider = local")
      .withFallback(ConfigFactory.load()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** The node's commands that are meant for the wire: every RaftkvSerializable permitted subtype. */
  private static List<Object> samples() {
    TestProbe<Object> probe = testKit.createTestProbe();
    Map<Class<?>, java.util.function.Supplier<?>> overrides = Map.of(
        StateMachineCommand.class, () -> Noop.INSTANCE,
        StateMachineResult.class, () -> null,
        LogEntry.class, () -> new LogEntry(3, 2, Noop.INSTANCE),
        Member.class, () -> new Member(4, "127.0.0.1", 25524, 8084, 77, false, true));
    List<Object> all = new ArrayList<>(RecordSamples.of(RaftMessage.class, probe::ref, overrides));
    for (Class<?> c : RaftNode.Command.class.getPermittedSubclasses()) {
      if (RaftkvSerializable.class.isAssignableFrom(c) && c != RaftMessage.class) all.addAll(RecordSamples.of(c, probe::ref, overrides));
    }
    all.addAll(RecordSamples.of(RaftNode.ClientReply.class, probe::ref, overrides));
    all.addAll(RecordSamples.of(RaftNode.Members.class, probe::ref, overrides));
    return all;
  }

  @TestFactory
  Stream<DynamicTest> everyWireMessageRoundTrips() {
    return samples().stream().map(m -> DynamicTest.dynamicTest(m.getClass().getSimpleName(),
        () -> SerializationRoundTrip.assertRoundTrips(testKit.system(), m)));
  }

  @Test
  void everyRecordIsCovered() {
    // 13 Raft messages (Identified, IncarnationRefused and Vouched among them); Propose, Read, ReadLocal, GetStatus, TransferLeadership, ChangeMembership, GetMembers; 5 client
    // replies; Members.
    assertEquals(26, samples().size());
  }
}
