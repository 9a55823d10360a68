package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsUnitsPlainSecondsAndIso() {
    assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
    assertEquals(Duration.ofSeconds(10), converter.convert("10s"));
    assertEquals(Duration.ofMillis(1500), converter.convert("1.5s"));
    assertEquals(Duration.ofMinutes(2), converter.convert("2m"));
    assertEquals(Duration.ofHours(1), converter.convert("1h"));
    assertEquals(Duration.ofSeconds(7), converter.convert("7"));
    assertEquals(Duration.ofSeconds(10), converter.convert("PT10S"));
  }

  @Test
  void refusesWhatIsNotAPositiveDuration() {
    for (String bad : new String[] {"0", "0ms", "-1s", "PT-1S", "soon", "", "10 parsecs", "99999999999999h"}) {
      assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert(bad), bad);
    }
  }
}
