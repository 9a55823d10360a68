package io.raftkv.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Whether a node serves /debug: by default only on a loopback bind; the setting's spellings and bounds. */
class DebugSettingsTest {
  private static DebugSettings with(DebugSettings.Mode mode) {
    return new DebugSettings(mode, Duration.ofMinutes(10), 64L << 20);
  }

  @Test
  void byDefaultOnlyALoopbackBindServesThem() {
    DebugSettings auto = DebugSettings.fromConfig(ConfigFactory.defaultReference().getConfig("raftkv.debug"));
    assertEquals(DebugSettings.Mode.AUTO, auto.enabled());
    for (String loopback : new String[] {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
      assertTrue(auto.servedOn(loopback), loopback);
    }
    // Addresses only: no name is looked up, and nothing binds to them.
    for (String other : new String[] {"0.0.0.0", "::", "10.1.2.3", "192.168.0.7", "2001:db8::1"}) {
      assertFalse(auto.servedOn(other), other);
    }
  }

  @Test
  void onServesThemAnywhereAndOffNowhere() {
    assertTrue(with(DebugSettings.Mode.ON).servedOn("10.1.2.3"));
    assertTrue(with(DebugSettings.Mode.ON).servedOn("0.0.0.0"));
    assertFalse(with(DebugSettings.Mode.OFF).servedOn("127.0.0.1"));
  }

  @Test
  void theSettingTakesAutoAndHoconsBooleans() {
    assertEquals(DebugSettings.Mode.ON, read("on"));
    assertEquals(DebugSettings.Mode.ON, read("true"));
    assertEquals(DebugSettings.Mode.OFF, read("off"));
    assertEquals(DebugSettings.Mode.OFF, read("no"));
    assertEquals(DebugSettings.Mode.AUTO, read("auto"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read("sometimes"));
    assertEquals("raftkv.debug.enabled: must be auto, on or off, was 'sometimes'", e.getMessage());
  }

  @Test
  void theRecentRecordingsBoundsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new DebugSettings(DebugSettings.Mode.AUTO, Duration.ZERO, 64L << 20));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DebugSettings(DebugSettings.Mode.AUTO, Duration.ofMinutes(1), 1024));
    assertTrue(e.getMessage().startsWith("raftkv.debug.recent-max-size: must be at least 1 MiB"), e.getMessage());
  }

  private static DebugSettings.Mode read(String value) {
    return DebugSettings.fromConfig(ConfigFactory.parseString("enabled = " + value)
        .withFallback(ConfigFactory.defaultReference().getConfig("raftkv.debug"))).enabled();
  }
}
