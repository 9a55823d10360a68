package io.raftkv.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A capture ends before the connection's idle timeout would close it, and never runs past 300 s. */
class CaptureBoundsTest {
  @Test
  void theIdleTimeoutLessTheSlackBoundsACapture() {
    assertEquals(50, CaptureBounds.under(Optional.of(Duration.ofSeconds(60))).secondsMax());
    assertEquals(CaptureBounds.SECONDS_MAX, CaptureBounds.under(Optional.of(Duration.ofMinutes(10))).secondsMax());
    assertEquals(CaptureBounds.SECONDS_MAX, CaptureBounds.under(Optional.empty()).secondsMax());
    CaptureBounds short5 = CaptureBounds.under(Optional.of(Duration.ofSeconds(5)));
    assertEquals(1, short5.secondsMax(), "a short idle timeout still allows a one-second capture");
    assertTrue(short5.why().contains("idle-timeout is 5 s"), short5.why());
  }

  @Test
  void secondsAreAWholeNumberWithinTheBound() {
    CaptureBounds bounds = CaptureBounds.under(Optional.of(Duration.ofSeconds(60)));
    assertEquals(Duration.ofSeconds(30), bounds.seconds(Optional.empty(), 30));
    assertEquals(Duration.ofSeconds(50), bounds.seconds(Optional.empty(), 120), "a default over the bound is cut to it");
    assertEquals(Duration.ofSeconds(7), bounds.seconds(Optional.of(" 7 "), 30));
    for (String bad : new String[] {"0", "51", "-3", "1.5", "x"}) {
      assertThrows(IllegalArgumentException.class, () -> bounds.seconds(Optional.of(bad), 30), bad);
    }
  }

  @Test
  void aProfileRequestDefaultsToThirtySecondsOfCpuAsAFlameGraph() {
    ProfileRequest r = ProfileRequest.parse(Optional.empty(), Optional.empty(), Optional.empty(), CaptureBounds.under(Optional.empty()));
    assertEquals(new ProfileRequest(ProfileEvent.CPU, Duration.ofSeconds(30), ProfileFormat.HTML), r);
    assertEquals(ProfileEvent.LOCK, ProfileRequest.parse(Optional.of("LOCK"), Optional.empty(), Optional.of("collapsed"),
        CaptureBounds.under(Optional.empty())).event());
  }
}
