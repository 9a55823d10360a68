package io.raftkv.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * Asserts that a value survives Pekko serialization exactly as it would between two nodes or
 * through the journal: serializer looked up by binding, bytes plus serializer id plus manifest,
 * then deserialized by id and manifest.
 */
public final class SerializationRoundTrip {

  private SerializationRoundTrip() {}

  /**
   * Fails unless {@code value} is bound to {@link KryoSerializer} and comes back deeply equal
   * (records component by component, arrays by content; see {@link DeepEquality}).
   *
   * @return the deserialized copy, e.g. to use an ActorRef it carries
   */
  public static <T> T assertRoundTrips(ActorSystem<?> system, T value) {
    Serialization serialization = SerializationExtension.get(system.classicSystem());
    Serializer serializer = serialization.findSerializerFor(value);
    if (!(serializer instanceof KryoSerializer)) {
      fail(
          value.getClass().getName()
              + " is serialized by "
              + serializer.getClass().getName()
              + ", not by KryoSerializer: does it implement RaftkvSerializable?");
    }
    String manifest = Serializers.manifestFor(serializer, value);
    assertEquals(value.getClass().getName(), manifest, "manifest of " + value.getClass().getName());
    byte[] bytes = serialization.serialize(value).get();
    Object copy = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    Optional<String> difference = DeepEquality.firstDifference(value, copy);
    if (difference.isPresent()) {
      fail("Round trip through Kryo changed " + value.getClass().getName() + ": " + difference.get());
    }
    @SuppressWarnings("unchecked")
    T typedCopy = (T) copy;
    return typedCopy;
  }
}
