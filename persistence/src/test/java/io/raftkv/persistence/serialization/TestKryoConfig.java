package io.raftkv.persistence.serialization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.SortedMap;

/** Registrations of the test hierarchy, in the test range (ids >= 900). */
final class TestKryoConfig {

  private TestKryoConfig() {}

  /** The {@code raftkv.kryo.classes} block for {@link TestProtocol}, as HOCON. */
  static final String CLASSES_HOCON =
      """
      raftkv.kryo.classes {
        "io.raftkv.persistence.serialization.TestProtocol$Kind" = 900
        "io.raftkv.persistence.serialization.TestProtocol$Ping" = 901
        "io.raftkv.persistence.serialization.TestProtocol$Blob" = 902
        "io.raftkv.persistence.serialization.TestProtocol$Batch" = 903
        "io.raftkv.persistence.serialization.TestProtocol$WithRef" = 904
        "io.raftkv.persistence.serialization.TestProtocol$Nested" = 905
        "io.raftkv.persistence.serialization.TestProtocol$Stop" = 906
        "io.raftkv.persistence.serialization.TestProtocol$Restart" = 907
      }
      """;

  /** Test registrations over the defaults (reference.conf). */
  static Config config(String extraHocon) {
    return ConfigFactory.parseString(extraHocon + "\n" + CLASSES_HOCON)
        .withFallback(ConfigFactory.load());
  }

  /** The same registrations as a map, for codec tests that use no ActorSystem. */
  static SortedMap<String, Integer> classes() {
    return KryoClassesConfig.read(ConfigFactory.parseString(CLASSES_HOCON));
  }

  /** A codec with the test registrations and no ActorRef support. */
  static KryoCodec codec() {
    return new KryoCodec(classes(), TestKryoConfig.class.getClassLoader());
  }
}
