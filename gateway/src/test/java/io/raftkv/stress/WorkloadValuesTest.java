package io.raftkv.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Values of a chosen size: exactly that many bytes, still one of the seed's 9,000, and the same for a seed. */
class WorkloadValuesTest {
  @Test
  void everySizeFromOneByteToAMebibyteIsExact() {
    for (int size : new int[] {1, 4, 9, 10, 11, 100, 1024, 1 << 20}) {
      String value = Workload.value(new Random(5), size);
      assertEquals(size, value.getBytes(StandardCharsets.UTF_8).length, "size " + size);
      String seed = Workload.value(new Random(5));
      if (size >= 10) {
        assertTrue(value.startsWith(seed) && value.substring(seed.length()).chars().allMatch(c -> c == '.'), "size " + size);
      } else {
        assertEquals(seed.substring(10 - size), value);
      }
    }
  }

  @Test
  void aSeedGivesTheSameValuesAndTheSizeIsChecked() {
    Random a = new Random(9);
    Random b = new Random(9);
    for (int i = 0; i < 100; i++) assertEquals(Workload.value(a, 64), Workload.value(b, 64));
    assertThrows(IllegalArgumentException.class, () -> Workload.value(new Random(1), 0));
  }
}
