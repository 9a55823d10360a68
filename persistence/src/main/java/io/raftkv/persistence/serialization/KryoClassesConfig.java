package io.raftkv.persistence.serialization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Reads {@code raftkv.kryo.classes} (class name -> id) from a configuration. */
public final class KryoClassesConfig {

  /** The setting read here. */
  public static final String PATH = KryoRegistrations.CONFIG_KEY;

  private KryoClassesConfig() {}

  /**
   * The registrations under {@value #PATH}, or none if the setting is absent. Keys must be quoted
   * class names ({@code "io.raftkv.Foo$Bar" = 101}) and values integers.
   *
   * @throws IllegalArgumentException naming the key and {@value #PATH} otherwise
   */
  public static SortedMap<String, Integer> read(Config config) {
    if (!config.hasPath(PATH)) {
      return Collections.emptySortedMap();
    }
    ConfigObject classes;
    try {
      classes = config.getObject(PATH);
    } catch (ConfigException.WrongType ex) {
      throw new IllegalArgumentException(
          "Invalid " + PATH + ": must be an object of class name -> id, " + ex.getMessage(), ex);
    }
    Config asConfig = classes.toConfig();
    SortedMap<String, Integer> ids = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry : classes.entrySet()) {
      String className = entry.getKey();
      if (entry.getValue().valueType() == ConfigValueType.OBJECT) {
        // An unquoted key with dots (io.raftkv.Foo = 101) is a path of nested objects in HOCON.
        throw new IllegalArgumentException(
            "Invalid "
                + PATH
                + ": key '"
                + className
                + "' holds an object; quote each class name, e.g. \"io.raftkv.Foo$Bar\" = 101");
      }
      try {
        ids.put(className, asConfig.getInt(ConfigUtil.joinPath(className)));
      } catch (ConfigException ex) {
        throw new IllegalArgumentException(
            "Invalid "
                + PATH
                + ": the id of class "
                + className
                + " must be an integer, got "
                + entry.getValue().render(),
            ex);
      }
    }
    return Collections.unmodifiableSortedMap(ids);
  }
}
