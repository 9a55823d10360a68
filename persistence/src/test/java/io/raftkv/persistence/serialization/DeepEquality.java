package io.raftkv.persistence.serialization;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Equality for deserialized values: records are compared component by component and arrays by
 * content (the semantics of {@link java.util.Arrays#deepEquals}), because a record's own {@code
 * equals} compares array components by reference and would fail every byte[] round trip. Lists
 * are compared element by element whatever their class, sets and maps with their own {@code
 * equals}, as the collections' {@code equals} contracts allow.
 */
public final class DeepEquality {

  private DeepEquality() {}

  /** True if both values are deeply equal. */
  public static boolean deepEquals(Object expected, Object actual) {
    return firstDifference(expected, actual).isEmpty();
  }

  /**
   * Where the values first differ, as a path from the root ({@code Ping.items[0].data[2]}) with
   * both values, or empty if they are deeply equal.
   */
  public static Optional<String> firstDifference(Object expected, Object actual) {
    return diff(expected, actual, expected == null ? "value" : expected.getClass().getSimpleName());
  }

  private static Optional<String> diff(Object expected, Object actual, String path) {
    if (expected == actual) {
      return Optional.empty();
    }
    // Collections compare by content whatever their class, as List.equals and Set.equals do:
    // List.of(..).subList(..) legitimately comes back as another immutable List class.
    if (expected instanceof List<?> e && actual instanceof List<?> a) {
      return diffSequences(e.iterator(), a.iterator(), e.size(), a.size(), path);
    }
    if ((expected instanceof Set<?> && actual instanceof Set<?>)
        || (expected instanceof Map<?, ?> && actual instanceof Map<?, ?>)) {
      // Their elements' hashCode/equals decide membership anyway; no deeper comparison helps.
      return expected.equals(actual)
          ? Optional.empty()
          : Optional.of(path + ": expected " + describe(expected) + " but was " + describe(actual));
    }
    if (expected == null || actual == null || expected.getClass() != actual.getClass()) {
      return Optional.of(path + ": expected " + describe(expected) + " but was " + describe(actual));
    }
    Class<?> type = expected.getClass();
    if (type.isArray()) {
      int length = Array.getLength(expected);
      if (length != Array.getLength(actual)) {
        return Optional.of(
            path + ": expected length " + length + " but was " + Array.getLength(actual));
      }
      for (int i = 0; i < length; i++) {
        Optional<String> d = diff(Array.get(expected, i), Array.get(actual, i), path + "[" + i + "]");
        if (d.isPresent()) return d;
      }
      return Optional.empty();
    }
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        Optional<String> d =
            diff(read(component, expected), read(component, actual), path + "." + component.getName());
        if (d.isPresent()) return d;
      }
      return Optional.empty();
    }
    if (expected instanceof Optional<?> e && actual instanceof Optional<?> a) {
      return diff(e.orElse(null), a.orElse(null), path + ".get()");
    }
    return Objects.equals(expected, actual)
        ? Optional.empty()
        : Optional.of(path + ": expected " + describe(expected) + " but was " + describe(actual));
  }

  private static Optional<String> diffSequences(
      Iterator<?> expected, Iterator<?> actual, int expectedSize, int actualSize, String path) {
    if (expectedSize != actualSize) {
      return Optional.of(path + ": expected size " + expectedSize + " but was " + actualSize);
    }
    for (int i = 0; expected.hasNext(); i++) {
      Optional<String> d = diff(expected.next(), actual.next(), path + "[" + i + "]");
      if (d.isPresent()) return d;
    }
    return Optional.empty();
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      var accessor = component.getAccessor();
      accessor.setAccessible(true); // test records are often private nested types
      return accessor.invoke(record);
    } catch (IllegalAccessException | InvocationTargetException ex) {
      throw new IllegalStateException("Cannot read " + component + " of " + record.getClass(), ex);
    }
  }

  private static String describe(Object value) {
    if (value == null) return "null";
    if (value.getClass().isArray()) {
      return value.getClass().getComponentType().getSimpleName() + "[" + Array.getLength(value) + "]";
    }
    return value + " (" + value.getClass().getName() + ")";
  }
}
