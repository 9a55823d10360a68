package io.raftkv.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftkv.persistence.serialization.TestProtocol.Batch;
import io.raftkv.persistence.serialization.TestProtocol.Blob;
import io.raftkv.persistence.serialization.TestProtocol.Kind;
import io.raftkv.persistence.serialization.TestProtocol.Nested;
import io.raftkv.persistence.serialization.TestProtocol.Ping;
import io.raftkv.persistence.serialization.TestProtocol.Restart;
import io.raftkv.persistence.serialization.TestProtocol.Stop;
import io.raftkv.persistence.serialization.TestProtocol.WithRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The codec on its own, without Pekko: round trips, refusals, buffer bound. */
class KryoCodecTest {

  private final KryoCodec codec = TestKryoConfig.codec();

  private <T> T roundTrip(T value) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) value.getClass();
    T copy = codec.fromBytes(codec.toBytes(value), type);
    DeepEquality.firstDifference(value, copy)
        .ifPresent(d -> fail("round trip changed " + d));
    return copy;
  }

  @TestFactory
  Stream<DynamicTest> everySampleWithoutActorRefsRoundTrips() {
    // WithRef needs the ActorRef hook, which only KryoSerializer installs (see KryoSerializerTest).
    return RecordSamples.concreteTypes(TestProtocol.class).stream()
        .filter(type -> type != WithRef.class)
        .map(
            type ->
                DynamicTest.dynamicTest(
                    type.getSimpleName(), () -> roundTrip(RecordSamples.of(type).get(0))));
  }

  @Test
  void everyImmutableCollectionShapeRoundTrips() {
    // Each of these is a different JDK class, each needing its fixed registration.
    roundTrip(new Batch(List.of(), Set.of(), Map.of(), Optional.empty()));
    roundTrip(new Batch(List.of("a"), Set.of(1), Map.of("a", 1L), Optional.of("n")));
    roundTrip(
        new Batch(
            List.of("a", "b", "c"),
            Set.of(1, 2, 3),
            Map.of("a", 1L, "b", 2L, "c", 3L),
            Optional.of("n")));
    roundTrip(new Batch(List.of("a", "b", "c").subList(0, 2), Set.of(), Map.of(), Optional.empty()));
    roundTrip(new Batch(Stream.of("a", "b").toList(), Set.of(), Map.of(), Optional.empty()));
    roundTrip(new Batch(new ArrayList<>(List.of("a", "b")), Set.of(), Map.of(), Optional.empty()));
  }

  @Test
  void decodesAsAnySupertype() {
    Stop stop = new Stop("bye");
    byte[] bytes = codec.toBytes(stop);
    assertEquals(stop, codec.fromBytes(bytes, TestProtocol.class));
    assertEquals(stop, codec.fromBytes(bytes, TestProtocol.Admin.class));
  }

  @Test
  void payloadStartsWithTheFormatVersion() {
    assertEquals(KryoCodec.FORMAT_VERSION, codec.toBytes(new Stop("x"))[0]);
  }

  @Test
  void unregisteredTopLevelClassIsRefusedNamingTheSetting() {
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> codec.toBytes(new NotRegistered("x")));
    assertUnregisteredMessage(ex.getMessage(), NotRegistered.class.getName());
  }

  @Test
  void unregisteredNestedClassIsRefusedNamingTheSetting() {
    // A HashMap where the code expected Map.of: a realistic way to slip in an unregistered class.
    Batch batch = new Batch(List.of(), Set.of(), new HashMap<>(Map.of("a", 1L)), Optional.empty());
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> codec.toBytes(batch));
    assertUnregisteredMessage(ex.getMessage(), HashMap.class.getName());
    assertTrue(ex.getMessage().contains(Batch.class.getName()), ex.getMessage());
  }

  private static void assertUnregisteredMessage(String message, String className) {
    assertTrue(message.contains("not registered"), message);
    assertTrue(message.contains(className), message);
    assertTrue(message.contains("raftkv.kryo.classes"), message);
  }

  @Test
  void unknownFormatVersionIsRefused() {
    byte[] bytes = codec.toBytes(new Stop("x"));
    bytes[0] = 2;
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> codec.fromBytes(bytes, Stop.class));
    assertTrue(ex.getMessage().contains("Unknown raftkv Kryo format version 2"), ex.getMessage());
  }

  @Test
  void payloadWithAClassThisNodeDoesNotRegisterIsRefusedNamingTheSetting() {
    // What a node sees when a peer or an old journal entry uses a registration it lacks.
    byte[] bytes = codec.toBytes(new Stop("x"));
    SortedMap<String, Integer> withoutStop = new TreeMap<>(TestKryoConfig.classes());
    withoutStop.remove(Stop.class.getName());
    KryoCodec other = new KryoCodec(withoutStop, getClass().getClassLoader());
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> other.fromBytes(bytes, TestProtocol.class));
    assertTrue(ex.getMessage().contains("raftkv.kryo.classes"), ex.getMessage());
    assertTrue(ex.getMessage().contains("unregistered class ID: 906"), ex.getMessage());
  }

  @Test
  void emptyPayloadIsRefused() {
    IllegalArgumentException ex =
        assertThrows(
            IllegalArgumentException.class, () -> codec.fromBytes(new byte[0], Stop.class));
    assertTrue(ex.getMessage().contains("Empty payload"), ex.getMessage());
  }

  @Test
  void payloadOfAnotherClassIsRefused() {
    byte[] bytes = codec.toBytes(new Stop("x"));
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> codec.fromBytes(bytes, Ping.class));
    assertTrue(ex.getMessage().contains("Payload holds " + Stop.class.getName()), ex.getMessage());
  }

  @Test
  void trailingBytesAreRefused() {
    byte[] bytes = codec.toBytes(new Stop("x"));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> codec.fromBytes(longer, Stop.class));
    assertTrue(ex.getMessage().contains("1 trailing bytes"), ex.getMessage());
  }

  @Test
  void payloadBeyondTheBufferBoundIsRefusedAndTheCodecStaysUsable() {
    KryoCodec small =
        new KryoCodec(
            TestKryoConfig.classes(), getClass().getClassLoader(), null, 4 * 1024);
    Blob big = new Blob(new byte[8 * 1024], new long[0]);
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> small.toBytes(big));
    assertTrue(ex.getMessage().contains("4096 bytes"), ex.getMessage());
    // The failed write must not leave a pooled Kryo or buffer in a broken state.
    Stop stop = new Stop("after");
    assertEquals(stop, small.fromBytes(small.toBytes(stop), Stop.class));
  }

  @Test
  void payloadsLargerThanThePooledBufferRoundTrip() {
    // Larger than RETAINED_BUFFER_MAX_BYTES: the grown buffer is used once, then dropped.
    byte[] data = new byte[KryoCodec.RETAINED_BUFFER_MAX_BYTES + 1];
    Arrays.fill(data, (byte) 7);
    roundTrip(new Blob(data, new long[] {1L}));
    roundTrip(new Stop("small again"));
  }

  @Test
  void isSafeToShareBetweenThreads() throws Exception {
    // Pooled Kryo instances and buffers must never be handed to two threads at once: each thread
    // round-trips values of its own and any mix-up shows as a wrong value.
    int threads = 4;
    int perThread = 2_000;
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers.add(
          new Thread(
              () -> {
                try {
                  IntStream.range(0, perThread)
                      .forEach(
                          i -> {
                            Nested value =
                                new Nested(
                                    new Ping("t" + thread, i, thread, i % 2 == 0, i / 3.0),
                                    Kind.values()[i % 2],
                                    List.of(new Blob(new byte[] {(byte) thread}, new long[] {i})));
                            roundTrip(value);
                            roundTrip(new Restart(i, List.of(value.inner())));
                          });
                } catch (Throwable failure) {
                  failures.add(failure);
                }
              }));
    }
    workers.forEach(Thread::start);
    for (Thread worker : workers) {
      worker.join(60_000);
      assertFalse(worker.isAlive(), "worker still running after 60 s");
    }
    assertEquals(List.of(), failures);
  }
}
