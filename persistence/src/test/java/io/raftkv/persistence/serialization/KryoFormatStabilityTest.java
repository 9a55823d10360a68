package io.raftkv.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.serialization.TestProtocol.Batch;
import io.raftkv.persistence.serialization.TestProtocol.Blob;
import io.raftkv.persistence.serialization.TestProtocol.Kind;
import io.raftkv.persistence.serialization.TestProtocol.Nested;
import io.raftkv.persistence.serialization.TestProtocol.Ping;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Journal entries outlive the code that wrote them: bytes written by FORMAT_VERSION 1 must keep
 * decoding to the same value. The hex literals were produced once by this codec (Kryo 5.6.2,
 * test registrations of {@link TestKryoConfig}) and must never be regenerated to make a failing
 * test pass: a failure here means the format changed and needs a new FORMAT_VERSION.
 */
class KryoFormatStabilityTest {

  private final KryoCodec codec = TestKryoConfig.codec();

  // Version byte 01, class id 905 (+2, varint 8b 07), then Ping, enum BETA, List12 of one Blob.
  private static final String NESTED_V1 =
      "018b0717828807040102030212010000000000000440010e5468656c6cef02";

  private static final Nested NESTED =
      new Nested(
          new Ping("hello", 42, 7L, true, 2.5),
          Kind.BETA,
          List.of(new Blob(new byte[] {1, 2, 3}, new long[] {9L})));

  // Version byte 01, class id 903 (Batch): List12, Set12, Map1, Optional.
  private static final String BATCH_V1 =
      "0189071c0203826b09d8041a82020a1783038278827901036e6f74e5";

  private static final Batch BATCH =
      new Batch(List.of("x", "y"), Set.of(5), Map.of("k", 300L), Optional.of("note"));

  @Test
  void version1BytesOfANestedRecordStillDecode() {
    Nested decoded = codec.fromBytes(HexFormat.of().parseHex(NESTED_V1), Nested.class);
    assertTrue(DeepEquality.deepEquals(NESTED, decoded), () -> "decoded " + decoded);
  }

  @Test
  void version1BytesOfCollectionsStillDecode() {
    assertEquals(BATCH, codec.fromBytes(HexFormat.of().parseHex(BATCH_V1), Batch.class));
  }

  @Test
  void encodingIsUnchanged() {
    // Stricter than decoding: also catches a change that old readers would not understand.
    assertEquals(NESTED_V1, HexFormat.of().formatHex(codec.toBytes(NESTED)));
    assertEquals(BATCH_V1, HexFormat.of().formatHex(codec.toBytes(BATCH)));
  }
}
