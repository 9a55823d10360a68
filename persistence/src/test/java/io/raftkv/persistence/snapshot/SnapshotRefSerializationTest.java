package io.raftkv.persistence.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.raftkv.persistence.serialization.KryoClassesConfig;
import io.raftkv.persistence.serialization.KryoCodec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * {@link SnapshotRef} is persisted in the Raft log: registered under its fixed Kryo id, and its
 * bytes never change (the hex literal was produced once by this codec; a failure means the
 * format changed, never regenerate it to make the test pass).
 */
class SnapshotRefSerializationTest {

  private static final SnapshotRef REF =
      new SnapshotRef(12_345, 7, "snapshot-12345-7.snap", 104_857_600L, 0xCAFEBABE);

  /** Format version 01, class id 108 (varint 6e), then the components. */
  private static final String VERSION_1_HEX =
      "016e83958ad006736e617073686f742d31323334352d372e736e61f0f2c001808080640e";

  private final KryoCodec codec =
      new KryoCodec(
          KryoClassesConfig.read(ConfigFactory.parseResources("reference.conf")),
          SnapshotRefSerializationTest.class.getClassLoader());

  @Test
  void hasTheFixedIdAndRoundTrips() {
    assertEquals(
        108,
        ConfigFactory.parseResources("reference.conf")
            .getInt("raftkv.kryo.classes.\"io.raftkv.persistence.snapshot.SnapshotRef\""));
    assertEquals(REF, codec.fromBytes(codec.toBytes(REF), SnapshotRef.class));
  }

  @Test
  void encodingIsUnchanged() {
    assertEquals(VERSION_1_HEX, HexFormat.of().formatHex(codec.toBytes(REF)));
  }

  @Test
  void negativeNumbersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SnapshotRef(-1, 1, "x", 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SnapshotRef(1, 1, "x", -1, 0));
  }
}
