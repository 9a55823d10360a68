package io.raftkv.persistence.serialization;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One sample instance of every concrete record of a message hierarchy, so that a test can
 * round-trip them all and a newly added message cannot be forgotten.
 *
 * <p>The hierarchy is walked through {@link Class#getPermittedSubclasses()} recursively. Each
 * record is built through its canonical constructor with generated component values: numbers
 * and their boxes non-zero (and different per component, so swapped fields show), {@code
 * boolean} true, strings and arrays non-empty, {@code List}/{@code Set}/{@code Map}/{@code
 * Optional} with one element generated from the type argument, enums their first constant,
 * records and sealed interfaces recursively, typed {@link ActorRef}s from the caller's supplier.
 * Anything else comes from the caller's overrides (exact class -> supplier), which are consulted
 * first and may also replace a whole record whose constructor refuses generated values.
 *
 * <p>Usage: {@code RecordSamples.of(RaftMessage.class, probe::ref, Map.of())}.
 */
public final class RecordSamples {

  private final Supplier<? extends ActorRef<?>> actorRefs;
  private final Map<Class<?>, Supplier<?>> overrides;
  private final Deque<Class<?>> building = new ArrayDeque<>();
  private int counter;

  private RecordSamples(
      Supplier<? extends ActorRef<?>> actorRefs, Map<Class<?>, Supplier<?>> overrides) {
    this.actorRefs = actorRefs;
    this.overrides = Map.copyOf(overrides);
  }

  /** Samples for a hierarchy without ActorRefs and without overrides. */
  public static List<Object> of(Class<?> root) {
    return of(root, null, Map.of());
  }

  /** Samples for a hierarchy whose ActorRef components all come from {@code actorRefs}. */
  public static List<Object> of(Class<?> root, Supplier<? extends ActorRef<?>> actorRefs) {
    return of(root, actorRefs, Map.of());
  }

  /**
   * One sample per concrete type under {@code root}, in the order of {@link #concreteTypes}.
   *
   * @param root a sealed interface or class, or a record
   * @param actorRefs supplies every typed ActorRef component; may be null if there are none
   * @param overrides exact class -> supplier, for types that cannot be generated
   * @throws IllegalArgumentException naming the record and component that cannot be built
   */
  public static List<Object> of(
      Class<?> root,
      Supplier<? extends ActorRef<?>> actorRefs,
      Map<Class<?>, Supplier<?>> overrides) {
    RecordSamples samples = new RecordSamples(actorRefs, overrides);
    List<Object> result = new ArrayList<>();
    for (Class<?> type : concreteTypes(root)) {
      result.add(samples.sampleOf(type, "the top-level sample"));
    }
    return result;
  }

  /**
   * The concrete permitted types under {@code root}, depth first in the order {@link
   * Class#getPermittedSubclasses()} reports (the permits clause, or javac's own order when it is
   * inferred): records, enums and other final classes (a non-record, non-enum class can only be
   * sampled through an override).
   *
   * @throws IllegalArgumentException if a permitted subtype is neither sealed nor final, since its
   *     subclasses cannot be found
   */
  public static List<Class<?>> concreteTypes(Class<?> root) {
    Set<Class<?>> found = new LinkedHashSet<>();
    collect(root, found);
    return List.copyOf(found);
  }

  private static void collect(Class<?> type, Set<Class<?>> found) {
    if (type.isSealed()) {
      if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
        found.add(type); // a sealed concrete class is itself instantiable
      }
      for (Class<?> sub : type.getPermittedSubclasses()) {
        collect(sub, found);
      }
    } else if (type.isRecord() || type.isEnum() || Modifier.isFinal(type.getModifiers())) {
      found.add(type);
    } else {
      throw new IllegalArgumentException(
          "RecordSamples: "
              + type.getName()
              + " is neither sealed nor final, so its subtypes cannot be enumerated;"
              + " make it sealed or final");
    }
  }

  private Object sampleOf(Class<?> type, String where) {
    Supplier<?> override = overrides.get(type);
    if (override != null) {
      return override.get();
    }
    if (type.isRecord()) {
      return buildRecord(type);
    }
    if (type.isEnum()) {
      Object[] constants = type.getEnumConstants();
      if (constants.length == 0) {
        throw cannotBuild(where, type, "the enum has no constants");
      }
      return constants[0];
    }
    throw cannotBuild(where, type, "not a record or enum; pass a Supplier for it in the overrides");
  }

  private Object buildRecord(Class<?> record) {
    if (building.contains(record)) {
      throw new IllegalArgumentException(
          "RecordSamples: record " + record.getName() + " contains itself through " + building
              + "; pass a Supplier for it in the overrides");
    }
    building.push(record);
    try {
      RecordComponent[] components = record.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        RecordComponent component = components[i];
        types[i] = component.getType();
        String where = "component '" + component.getName() + "' of record " + record.getName();
        values[i] = valueFor(component.getGenericType(), where);
      }
      return construct(record, types, values);
    } finally {
      building.pop();
    }
  }

  private static Object construct(Class<?> record, Class<?>[] types, Object[] values) {
    try {
      Constructor<?> canonical = record.getDeclaredConstructor(types);
      canonical.setAccessible(true); // test records are often private nested types
      return canonical.newInstance(values);
    } catch (InvocationTargetException ex) {
      throw new IllegalArgumentException(
          "RecordSamples: the constructor of record "
              + record.getName()
              + " refused the generated values ("
              + ex.getCause()
              + "); pass a Supplier for the record in the overrides",
          ex.getCause());
    } catch (ReflectiveOperationException | RuntimeException ex) {
      throw new IllegalArgumentException(
          "RecordSamples: cannot call the canonical constructor of record " + record.getName(), ex);
    }
  }

  private Object valueFor(Type type, String where) {
    Class<?> raw = rawClass(type, where);
    Supplier<?> override = overrides.get(raw);
    if (override != null) {
      return override.get();
    }
    int n = ++counter;
    if (raw == int.class || raw == Integer.class) return n;
    if (raw == long.class || raw == Long.class) return 1_000_000_000_000L + n;
    if (raw == short.class || raw == Short.class) return (short) n;
    if (raw == byte.class || raw == Byte.class) return (byte) (n % 100 + 1);
    if (raw == char.class || raw == Character.class) return (char) ('a' + n % 26);
    if (raw == boolean.class || raw == Boolean.class) return true;
    if (raw == double.class || raw == Double.class) return n + 0.25;
    if (raw == float.class || raw == Float.class) return n + 0.5f;
    if (raw == String.class) return "sample-" + n;
    if (raw.isArray()) return arrayOf(type, raw, where);
    if (raw == List.class || raw == Collection.class) return List.of(valueFor(typeArg(type, 0, where), where));
    if (raw == Set.class) return Set.of(valueFor(typeArg(type, 0, where), where));
    if (raw == Map.class) {
      return Map.of(
          valueFor(typeArg(type, 0, where), where), valueFor(typeArg(type, 1, where), where));
    }
    if (raw == Optional.class) return Optional.of(valueFor(typeArg(type, 0, where), where));
    if (ActorRef.class.isAssignableFrom(raw)) {
      if (actorRefs == null) {
        throw cannotBuild(where, raw, "pass an ActorRef supplier to RecordSamples.of");
      }
      return actorRefs.get();
    }
    if (raw.isRecord() || raw.isEnum()) return sampleOf(raw, where);
    if (raw.isSealed()) return sampleOfSealed(raw, where);
    throw cannotBuild(where, raw, "no generator for this type; pass a Supplier for it in the overrides");
  }

  private Object arrayOf(Type type, Class<?> raw, String where) {
    Type elementType =
        type instanceof GenericArrayType generic ? generic.getGenericComponentType() : raw.getComponentType();
    Object array = Array.newInstance(raw.getComponentType(), 1);
    Array.set(array, 0, valueFor(elementType, where));
    return array;
  }

  /** The first permitted type that can be built; skips those that would recurse forever. */
  private Object sampleOfSealed(Class<?> sealed, String where) {
    List<String> failures = new ArrayList<>();
    for (Class<?> candidate : concreteTypes(sealed)) {
      if (building.contains(candidate)) {
        failures.add(candidate.getName() + " (recursive)");
        continue;
      }
      try {
        return sampleOf(candidate, where);
      } catch (IllegalArgumentException ex) {
        failures.add(candidate.getName() + " (" + ex.getMessage() + ")");
      }
    }
    throw cannotBuild(where, sealed, "no permitted subtype can be built: " + failures);
  }

  private static Class<?> rawClass(Type type, String where) {
    if (type instanceof Class<?> c) return c;
    if (type instanceof ParameterizedType p) return (Class<?>) p.getRawType();
    if (type instanceof GenericArrayType g) {
      return Array.newInstance(rawClass(g.getGenericComponentType(), where), 0).getClass();
    }
    if (type instanceof WildcardType w) return rawClass(w.getUpperBounds()[0], where);
    throw new IllegalArgumentException(
        "RecordSamples: cannot build " + where + ": type " + type.getTypeName()
            + " is a type variable; pass a Supplier in the overrides");
  }

  private static Type typeArg(Type type, int index, String where) {
    if (type instanceof ParameterizedType p) {
      Type arg = p.getActualTypeArguments()[index];
      return arg instanceof WildcardType w ? w.getUpperBounds()[0] : arg;
    }
    throw new IllegalArgumentException(
        "RecordSamples: cannot build " + where + ": raw type " + type.getTypeName()
            + " has no type argument to generate an element from");
  }

  private static IllegalArgumentException cannotBuild(String where, Class<?> type, String why) {
    return new IllegalArgumentException(
        "RecordSamples: cannot build " + where + " of type " + type.getName() + ": " + why);
  }
}
