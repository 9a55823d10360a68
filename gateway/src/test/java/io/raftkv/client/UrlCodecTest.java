package io.raftkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UrlCodecTest {
  @Test
  void encodesEverythingButUnreservedCharacters() {
    assertEquals("a-b_c.d~E9", UrlCodec.encode("a-b_c.d~E9"));
    assertEquals("a%20b%2Bc%2Fd%3F%26%3D%25", UrlCodec.encode("a b+c/d?&=%"));
    assertEquals("%C3%BC%E2%82%AC", UrlCodec.encode("ü€"));
    assertEquals("%00%FF", UrlCodec.encode(new byte[] {0, (byte) 0xff}));
  }

  @Test
  void dotSegmentsAreEncodedSoNoNormalizerRemovesThem() {
    assertEquals("%2E", UrlCodec.pathSegment("."));
    assertEquals("%2E%2E", UrlCodec.pathSegment(".."));
    assertEquals("...", UrlCodec.pathSegment("..."));
    assertEquals("a.b", UrlCodec.pathSegment("a.b"));
  }

  @Test
  void roundTripsThroughAPercentDecoder() {
    String key = "k é/ü+?#%&=\u0001";
    assertEquals(key, FakeGateway.decode(UrlCodec.pathSegment(key)));
    assertEquals(key, new String(FakeGateway.decode(UrlCodec.encode(key)).getBytes(StandardCharsets.UTF_8),
        StandardCharsets.UTF_8));
  }
}
