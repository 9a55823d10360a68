package io.raftkv.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Bad registrations are refused when the codec is built, with the setting named. */
class KryoRegistrationsConfigTest {

  private static final String PING = TestProtocol.Ping.class.getName();
  private static final String STOP = TestProtocol.Stop.class.getName();

  private static IllegalArgumentException refusal(SortedMap<String, Integer> classes) {
    return assertThrows(
        IllegalArgumentException.class,
        () -> new KryoCodec(classes, KryoRegistrationsConfigTest.class.getClassLoader()));
  }

  private static void assertNames(IllegalArgumentException ex, String... parts) {
    assertTrue(ex.getMessage().contains("raftkv.kryo.classes"), ex.getMessage());
    for (String part : parts) {
      assertTrue(ex.getMessage().contains(part), "'" + part + "' missing in: " + ex.getMessage());
    }
  }

  private static SortedMap<String, Integer> classes(Object... nameThenId) {
    SortedMap<String, Integer> classes = new TreeMap<>();
    for (int i = 0; i < nameThenId.length; i += 2) {
      classes.put((String) nameThenId[i], (Integer) nameThenId[i + 1]);
    }
    return classes;
  }

  @Test
  void duplicateIdIsRefused() {
    assertNames(refusal(classes(PING, 901, STOP, 901)), PING, STOP, "901");
  }

  @Test
  void idBelow100IsRefused() {
    assertNames(refusal(classes(PING, 42)), PING, "42", "100");
  }

  @Test
  void classThatCannotBeLoadedIsRefused() {
    assertNames(refusal(classes("io.raftkv.DoesNotExist", 950)), "io.raftkv.DoesNotExist");
  }

  @Test
  void classWithAFixedIdIsRefused() {
    assertNames(refusal(classes("java.util.ArrayList", 950)), "java.util.ArrayList", "fixed id 12");
  }

  @Test
  void interfaceIsRefused() {
    assertNames(refusal(classes(TestProtocol.class.getName(), 950)), TestProtocol.class.getName());
  }

  @Test
  void configIsReadWithQuotedClassNames() {
    SortedMap<String, Integer> read =
        KryoClassesConfig.read(
            ConfigFactory.parseString("raftkv.kryo.classes { \"" + PING + "\" = 901 }"));
    assertEquals(classes(PING, 901), read);
  }

  @Test
  void unquotedClassNameIsRefused() {
    IllegalArgumentException ex =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                KryoClassesConfig.read(
                    ConfigFactory.parseString("raftkv.kryo.classes { io.raftkv.Foo = 901 }")));
    assertNames(ex, "quote");
  }

  @Test
  void nonIntegerIdIsRefused() {
    IllegalArgumentException ex =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                KryoClassesConfig.read(
                    ConfigFactory.parseString(
                        "raftkv.kryo.classes { \"" + PING + "\" = \"nine\" }")));
    assertNames(ex, PING, "integer");
  }
}
