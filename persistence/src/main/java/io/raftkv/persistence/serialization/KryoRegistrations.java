package io.raftkv.persistence.serialization;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The configured registrations (class name -> id), checked once and resolved to classes. Every
 * refusal is an {@link IllegalArgumentException} naming the class and {@value #CONFIG_KEY}, so a
 * bad deployment fails at start-up with the setting to fix instead of on the first message.
 */
final class KryoRegistrations {

  /** Where the registrations live in the configuration; named in every error message. */
  static final String CONFIG_KEY = "raftkv.kryo.classes";

  /** One validated registration. */
  record Entry(Class<?> type, int id) {}

  private KryoRegistrations() {}

  static List<Entry> resolve(SortedMap<String, Integer> classes, ClassLoader classLoader) {
    Map<Integer, String> classById = new HashMap<>();
    List<Entry> entries = new ArrayList<>(classes.size());
    for (Map.Entry<String, Integer> e : classes.entrySet()) {
      String name = e.getKey();
      Integer id = e.getValue();
      if (name == null || name.isBlank()) {
        throw refused("an entry has an empty class name (id " + id + ")");
      }
      if (id == null) {
        throw refused("class " + name + " has no id");
      }
      if (id < FixedKryoRegistrations.FIRST_CONFIGURABLE_ID) {
        throw refused(
            "class "
                + name
                + " has id "
                + id
                + ", but ids below "
                + FixedKryoRegistrations.FIRST_CONFIGURABLE_ID
                + " are reserved for raftkv's fixed registrations; give it an id >= "
                + FixedKryoRegistrations.FIRST_CONFIGURABLE_ID);
      }
      String previous = classById.putIfAbsent(id, name);
      if (previous != null) {
        throw refused(
            "classes " + previous + " and " + name + " share id " + id
                + "; every class needs an id of its own");
      }
      Class<?> type = load(name, id, classLoader);
      Integer fixedId = FixedKryoRegistrations.ids().get(type);
      if (fixedId != null) {
        throw refused(
            "class " + name + " is already registered by raftkv at fixed id " + fixedId
                + "; remove it from the configuration");
      }
      // Kryo only ever looks up the concrete class of a value, so a registered interface or
      // abstract class is a mistake (usually the sealed interface instead of its records).
      if (!type.isArray() && (type.isInterface() || Modifier.isAbstract(type.getModifiers()))) {
        throw refused(
            "class " + name + " is an interface or abstract class; register its concrete"
                + " classes (the records) instead");
      }
      entries.add(new Entry(type, id));
    }
    return Collections.unmodifiableList(entries);
  }

  private static Class<?> load(String name, int id, ClassLoader classLoader) {
    try {
      return Class.forName(name, false, classLoader);
    } catch (ClassNotFoundException | LinkageError ex) {
      IllegalArgumentException refusal =
          refused(
              "class "
                  + name
                  + " (id "
                  + id
                  + ") cannot be loaded: "
                  + ex
                  + " (nested classes are written Outer$Inner)");
      refusal.initCause(ex);
      throw refusal;
    }
  }

  private static IllegalArgumentException refused(String why) {
    return new IllegalArgumentException("Invalid " + CONFIG_KEY + ": " + why);
  }
}
