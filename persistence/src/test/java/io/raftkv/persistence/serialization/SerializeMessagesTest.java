package io.raftkv.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.serialization.TestProtocol.Blob;
import java.time.Duration;
import org.apache.pekko.actor.dungeon.SerializationCheckFailedException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code pekko.actor.serialize-messages = on} every local message goes through the
 * serializer, which is how tests find a message that would fail between nodes.
 */
class SerializeMessagesTest {

  static final ActorTestKit testKit =
      ActorTestKit.create(TestKryoConfig.config("pekko.actor.serialize-messages = on"));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void registeredMessageIsDeliveredAsAKryoCopy() {
    TestProbe<Blob> probe = testKit.createTestProbe();
    Blob sent = new Blob(new byte[] {1, 2, 3}, new long[] {4});
    probe.ref().tell(sent);
    Blob received = probe.receiveMessage();
    // A different array with the same content: the message really was serialized.
    assertNotSame(sent.data(), received.data());
    assertTrue(DeepEquality.deepEquals(sent, received), () -> "received " + received);
  }

  @Test
  void unregisteredMessageIsNotDeliveredAndTheLogNamesTheSetting() {
    TestProbe<Object> probe = testKit.createTestProbe();
    LoggingTestKit.error(SerializationCheckFailedException.class)
        .withCustom(
            event ->
                event.getThrowable().map(SerializeMessagesTest::chainNamesTheSetting).orElse(false))
        .expect(
            testKit.system(),
            () -> {
              probe.ref().tell(new NotRegistered("lost"));
              return null;
            });
    probe.expectNoMessage(Duration.ofMillis(200));
  }

  private static boolean chainNamesTheSetting(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.contains("not registered")
          && message.contains(NotRegistered.class.getName())
          && message.contains("raftkv.kryo.classes")) {
        return true;
      }
    }
    return false;
  }
}
