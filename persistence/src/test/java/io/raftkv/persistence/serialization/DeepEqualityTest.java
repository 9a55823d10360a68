package io.raftkv.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.serialization.TestProtocol.Blob;
import io.raftkv.persistence.serialization.TestProtocol.Kind;
import io.raftkv.persistence.serialization.TestProtocol.Nested;
import io.raftkv.persistence.serialization.TestProtocol.Ping;
import io.raftkv.persistence.serialization.TestProtocol.Stop;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeepEqualityTest {

  private static final Ping PING = new Ping("p", 1, 2, true, 3);

  @Test
  void arraysInRecordsCompareByContent() {
    Blob a = new Blob(new byte[] {1, 2}, new long[] {3});
    Blob b = new Blob(new byte[] {1, 2}, new long[] {3});
    assertNotEquals(a, b, "record equals compares arrays by reference: the reason for this class");
    assertTrue(DeepEquality.deepEquals(a, b));
  }

  @Test
  void firstDifferenceGivesThePath() {
    Nested a = new Nested(PING, Kind.ALPHA, List.of(new Blob(new byte[] {1, 2}, new long[0])));
    Nested b = new Nested(PING, Kind.ALPHA, List.of(new Blob(new byte[] {1, 9}, new long[0])));
    assertEquals(
        Optional.of("Nested.blobs[0].data[1]: expected 2 (java.lang.Byte) but was 9 (java.lang.Byte)"),
        DeepEquality.firstDifference(a, b));
  }

  @Test
  void differentLengthsAndClassesDiffer() {
    assertTrue(
        DeepEquality.firstDifference(new byte[] {1}, new byte[] {1, 2}).orElseThrow().contains("length"));
    assertTrue(DeepEquality.firstDifference(PING, new Stop("s")).isPresent());
    assertTrue(DeepEquality.firstDifference(PING, null).isPresent());
  }

  @Test
  void listsCompareByContentWhateverTheirClass() {
    assertTrue(DeepEquality.deepEquals(List.of(1, 2, 3).subList(0, 2), List.of(1, 2)));
    assertTrue(DeepEquality.firstDifference(List.of(1, 2), List.of(1, 3)).isPresent());
  }
}
