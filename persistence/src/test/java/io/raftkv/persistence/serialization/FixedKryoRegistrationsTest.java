package io.raftkv.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Ids are part of the wire and journal format: these tests pin them. */
class FixedKryoRegistrationsTest {

  @Test
  void idsBelow100AreExactlyTheDocumentedOnes() {
    SortedMap<Integer, String> expected = new TreeMap<>();
    expected.put(0, "int");
    expected.put(1, "java.lang.String");
    expected.put(2, "float");
    expected.put(3, "boolean");
    expected.put(4, "byte");
    expected.put(5, "char");
    expected.put(6, "short");
    expected.put(7, "long");
    expected.put(8, "double");
    expected.put(10, "[B");
    expected.put(11, "[J");
    expected.put(12, "java.util.ArrayList");
    expected.put(13, "java.util.Optional");
    expected.put(20, "java.util.ImmutableCollections$ListN");
    expected.put(21, "java.util.ImmutableCollections$List12");
    expected.put(22, "java.util.ImmutableCollections$SubList");
    expected.put(23, "java.util.ImmutableCollections$SetN");
    expected.put(24, "java.util.ImmutableCollections$Set12");
    expected.put(25, "java.util.ImmutableCollections$MapN");
    expected.put(26, "java.util.ImmutableCollections$Map1");

    SortedMap<Integer, String> actual = TestKryoConfig.codec().registeredIds();
    assertEquals(expected, actual.headMap(FixedKryoRegistrations.FIRST_CONFIGURABLE_ID));
  }

  @Test
  void configuredIdsAreUsedAsGiven() {
    SortedMap<Integer, String> actual = TestKryoConfig.codec().registeredIds();
    Map<Integer, String> configured = new HashMap<>();
    TestKryoConfig.classes().forEach((name, id) -> configured.put(id, name));
    assertEquals(configured, actual.tailMap(FixedKryoRegistrations.FIRST_CONFIGURABLE_ID));
  }

  @Test
  void coversEveryClassThatKryosRegisterSerializersWouldRegister() {
    // The fixed table replaces ImmutableCollectionsSerializers.registerSerializers (implicit ids)
    // with explicit ids; it must still cover the same classes with the same serializers.
    Kryo reference = new Kryo();
    Map<Class<?>, Integer> before = registrations(reference);
    ImmutableCollectionsSerializers.registerSerializers(reference);
    Map<Class<?>, Integer> added = registrations(reference);
    added.keySet().removeAll(before.keySet());
    assertEquals(7, added.size(), "classes registerSerializers registers: " + added.keySet());

    Kryo ours = new RaftkvKryo();
    FixedKryoRegistrations.registerOn(ours);
    for (Class<?> type : added.keySet()) {
      Registration registration = ours.getClassResolver().getRegistration(type);
      assertNotNull(registration, type + " has no fixed registration");
      assertEquals(
          reference.getRegistration(type).getSerializer().getClass(),
          registration.getSerializer().getClass(),
          "serializer of " + type);
    }
  }

  private static Map<Class<?>, Integer> registrations(Kryo kryo) {
    Map<Class<?>, Integer> byClass = new HashMap<>();
    for (int id = 0; id < FixedKryoRegistrations.FIRST_CONFIGURABLE_ID; id++) {
      Registration registration = kryo.getClassResolver().getRegistration(id);
      if (registration != null) {
        byClass.put(registration.getType(), id);
      }
    }
    return byClass;
  }
}
