package io.raftkv.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.serialization.TestProtocol.Ping;
import io.raftkv.persistence.serialization.TestProtocol.WithRef;
import java.io.NotSerializableException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/** The serializer as Pekko uses it: found by binding, with manifest and identifier. */
class KryoSerializerTest {

  // One ActorSystem for the class, shut down after all tests (see DEPENDENCIES.md section 3).
  static final ActorTestKit testKit = ActorTestKit.create(TestKryoConfig.config(""));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static Serialization serialization() {
    return SerializationExtension.get(testKit.system().classicSystem());
  }

  @Test
  void raftkvSerializableIsBoundToKryoWithItsFixedIdentifier() {
    Serializer serializer = serialization().findSerializerFor(new Ping("p", 1, 2, true, 3));
    assertInstanceOf(KryoSerializer.class, serializer);
    assertEquals(730_001, serializer.identifier());
  }

  @TestFactory
  Stream<DynamicTest> everyTestRecordRoundTripsThroughPekko() {
    TestProbe<Ping> probe = testKit.createTestProbe();
    List<Object> samples = RecordSamples.of(TestProtocol.class, probe::ref, Map.of());
    return samples.stream()
        .map(
            sample ->
                DynamicTest.dynamicTest(
                    sample.getClass().getSimpleName(),
                    () -> SerializationRoundTrip.assertRoundTrips(testKit.system(), sample)));
  }

  @Test
  void actorRefStillDeliversAfterTheRoundTrip() {
    TestProbe<Ping> probe = testKit.createTestProbe();
    WithRef copy = SerializationRoundTrip.assertRoundTrips(testKit.system(), new WithRef("r", probe.ref()));
    Ping ping = new Ping("through the copy", 7, 8, false, 9.5);
    copy.replyTo().tell(ping);
    probe.expectMessage(ping);
  }

  @Test
  void unknownManifestIsNotSerializable() throws Exception {
    Serializer serializer = serialization().serializerFor(Ping.class);
    byte[] bytes = serializer.toBinary(new Ping("p", 1, 2, true, 3));
    NotSerializableException ex =
        assertThrows(
            NotSerializableException.class,
            () -> ((KryoSerializer) serializer).fromBinary(bytes, "io.raftkv.NoSuchClass"));
    assertTrue(ex.getMessage().contains("io.raftkv.NoSuchClass"), ex.getMessage());
  }

  @Test
  void roundTripHelperRefusesAValueNotBoundToKryo() {
    // Guards the helper itself: a message that forgot the marker must not pass silently.
    AssertionFailedError ex =
        assertThrows(
            AssertionFailedError.class,
            () -> SerializationRoundTrip.assertRoundTrips(testKit.system(), "plain string"));
    assertTrue(ex.getMessage().contains("not by KryoSerializer"), ex.getMessage());
  }
}
