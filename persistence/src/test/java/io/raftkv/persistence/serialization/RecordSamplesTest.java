package io.raftkv.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.serialization.TestProtocol.Batch;
import io.raftkv.persistence.serialization.TestProtocol.Blob;
import io.raftkv.persistence.serialization.TestProtocol.Kind;
import io.raftkv.persistence.serialization.TestProtocol.Nested;
import io.raftkv.persistence.serialization.TestProtocol.Ping;
import io.raftkv.persistence.serialization.TestProtocol.Restart;
import io.raftkv.persistence.serialization.TestProtocol.Stop;
import io.raftkv.persistence.serialization.TestProtocol.WithRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RecordSamplesTest {

  // Only for a real ActorRef to hand out; no messages are sent.
  static final ActorTestKit testKit = ActorTestKit.create(TestKryoConfig.config(""));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static final ActorRef<Ping> REF = testKit.<Ping>createTestProbe().ref();

  private static Map<Class<?>, Object> samplesByClass() {
    Map<Class<?>, Object> byClass = new HashMap<>();
    for (Object sample : RecordSamples.of(TestProtocol.class, () -> REF, Map.of())) {
      byClass.put(sample.getClass(), sample);
    }
    return byClass;
  }

  @Test
  void findsEveryConcreteRecordOfTheHierarchy() {
    // The count is spelled out so that a subtype the walk misses fails here.
    List<Class<?>> types = RecordSamples.concreteTypes(TestProtocol.class);
    assertEquals(7, types.size(), "found " + types);
    // As a set: javac orders inferred permitted subclasses its own way, not by declaration.
    assertEquals(
        Set.of(
            Ping.class,
            Blob.class,
            Batch.class,
            WithRef.class,
            Nested.class,
            Stop.class,
            Restart.class),
        Set.copyOf(types));
    assertEquals(7, samplesByClass().size());
  }

  @Test
  void generatedValuesAreNotDefaults() {
    Map<Class<?>, Object> samples = samplesByClass();
    Ping ping = (Ping) samples.get(Ping.class);
    assertTrue(!ping.text().isEmpty() && ping.n() != 0 && ping.l() != 0 && ping.flag() && ping.d() != 0);
    assertNotEquals((long) ping.n(), ping.l(), "components get distinct values");
    Blob blob = (Blob) samples.get(Blob.class);
    assertTrue(blob.data().length > 0 && blob.data()[0] != 0 && blob.longs().length > 0);
    Batch batch = (Batch) samples.get(Batch.class);
    assertEquals(1, batch.items().size());
    assertInstanceOf(Integer.class, batch.ids().iterator().next());
    assertInstanceOf(Long.class, batch.counts().values().iterator().next());
    assertTrue(batch.note().isPresent());
    Nested nested = (Nested) samples.get(Nested.class);
    assertEquals(Kind.ALPHA, nested.kind());
    assertEquals(1, nested.blobs().size());
    assertSame(REF, ((WithRef) samples.get(WithRef.class)).replyTo());
  }

  record NeedsTask(String name, Runnable task) {}

  @Test
  void unbuildableComponentIsNamedWithItsRecord() {
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> RecordSamples.of(NeedsTask.class));
    assertTrue(ex.getMessage().contains("'task'"), ex.getMessage());
    assertTrue(ex.getMessage().contains(NeedsTask.class.getName()), ex.getMessage());
    assertTrue(ex.getMessage().contains(Runnable.class.getName()), ex.getMessage());
  }

  @Test
  void overrideSuppliesAnInterfaceComponent() {
    Runnable task = () -> {};
    Map<Class<?>, Supplier<?>> overrides = Map.of(Runnable.class, () -> task);
    NeedsTask sample = (NeedsTask) RecordSamples.of(NeedsTask.class, null, overrides).get(0);
    assertSame(task, sample.task());
  }

  @Test
  void actorRefWithoutASupplierIsRefusedClearly() {
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> RecordSamples.of(WithRef.class));
    assertTrue(ex.getMessage().contains("'replyTo'"), ex.getMessage());
    assertTrue(ex.getMessage().contains("ActorRef supplier"), ex.getMessage());
  }

  sealed interface Tree permits Leaf, Node {}

  record Leaf(int value) implements Tree {}

  record Node(Tree left, Tree right) implements Tree {}

  @Test
  void recursiveSealedHierarchyEndsInALeaf() {
    List<Object> samples = RecordSamples.of(Tree.class);
    assertEquals(2, samples.size());
    Node node = (Node) samples.get(1);
    assertInstanceOf(Leaf.class, node.left());
    assertInstanceOf(Leaf.class, node.right());
  }

  record Positive(int value) {
    Positive {
      if (value > 0) {
        throw new IllegalArgumentException("only non-positive values here");
      }
    }
  }

  @Test
  void constructorRefusalNamesTheRecordAndSuggestsAnOverride() {
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> RecordSamples.of(Positive.class));
    assertTrue(ex.getMessage().contains(Positive.class.getName()), ex.getMessage());
    assertTrue(ex.getMessage().contains("overrides"), ex.getMessage());
    Object sample =
        RecordSamples.of(Positive.class, null, Map.of(Positive.class, () -> new Positive(-1)))
            .get(0);
    assertEquals(new Positive(-1), sample);
  }

  @Test
  void openHierarchyIsRefused() {
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> RecordSamples.concreteTypes(Runnable.class));
    assertTrue(ex.getMessage().contains("neither sealed nor final"), ex.getMessage());
  }
}
