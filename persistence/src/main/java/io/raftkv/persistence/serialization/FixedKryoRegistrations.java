package io.raftkv.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JDK classes every raftkv Kryo instance registers, at fixed ids below {@link
 * #FIRST_CONFIGURABLE_ID}. Like the configured ids, these ids are part of the wire and journal
 * format: never renumber one, only append.
 *
 * <pre>
 *   0-8   Kryo built-ins: int, String, float, boolean, byte, char, short, long, double
 *         (the boxed types share the primitive's id)
 *   9     left free (Kryo's registerSerializers would take it; we give explicit ids instead)
 *   10    byte[]
 *   11    long[]
 *   12    java.util.ArrayList
 *   13    java.util.Optional
 *   20-26 java.util.ImmutableCollections: ListN, List12, SubList, SetN, Set12, MapN, Map1
 *         (List.of / Set.of / Map.of / copyOf / Stream.toList)
 *   30    the concrete typed ActorRef class, when the codec is given an ActorRef hook
 *         ({@link KryoCodec#ACTOR_REF_ID})
 *   31-99 reserved for future fixed registrations
 * </pre>
 *
 * <p>The immutable collections get explicit ids instead of {@code
 * ImmutableCollectionsSerializers.registerSerializers(kryo)}, which numbers them implicitly (the
 * next free id), so a Kryo upgrade could silently renumber them. The serializers are the same:
 * Kryo's constructor already installs them as default serializers for these classes, and a test
 * checks that this table covers every class {@code registerSerializers} would register.
 */
final class FixedKryoRegistrations {

  /** Ids from {@code raftkv.kryo.classes} must be at least this; lower ones are ours. */
  static final int FIRST_CONFIGURABLE_ID = 100;

  private static final Map<Class<?>, Integer> IDS = table();

  private FixedKryoRegistrations() {}

  private static Map<Class<?>, Integer> table() {
    Map<Class<?>, Integer> ids = new LinkedHashMap<>();
    ids.put(byte[].class, 10);
    ids.put(long[].class, 11);
    ids.put(ArrayList.class, 12);
    ids.put(Optional.class, 13);
    ids.put(List.of(1, 2, 3).getClass(), 20); // ImmutableCollections$ListN (also List.of())
    ids.put(List.of(1).getClass(), 21); // ImmutableCollections$List12
    ids.put(List.of(1, 2, 3).subList(0, 2).getClass(), 22); // ImmutableCollections$SubList
    ids.put(Set.of(1, 2, 3).getClass(), 23); // ImmutableCollections$SetN (also Set.of())
    ids.put(Set.of(1).getClass(), 24); // ImmutableCollections$Set12
    ids.put(Map.of(1, 2, 3, 4).getClass(), 25); // ImmutableCollections$MapN (also Map.of())
    ids.put(Map.of(1, 2).getClass(), 26); // ImmutableCollections$Map1
    return Collections.unmodifiableMap(ids);
  }

  /** Class -> fixed id, in registration order. */
  static Map<Class<?>, Integer> ids() {
    return IDS;
  }

  /**
   * Registers the fixed classes on a fresh Kryo. No serializer is named: each class gets Kryo's
   * default one, which for the immutable collections is {@link ImmutableCollectionsSerializers}'s
   * (Kryo 5's constructor installs them as defaults on Java 9+).
   */
  static void registerOn(Kryo kryo) {
    IDS.forEach(kryo::register);
  }
}
