package io.raftkv.persistence.kv;

import static io.raftkv.persistence.kv.KvTestSupport.bytes;
import static io.raftkv.persistence.kv.KvTestSupport.contents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Format version 1, which older builds wrote as one array: still restored, through both restore
 * methods, and still refused when bad. The fixture is {@link KvTestSupport#busyLog()}'s snapshot
 * as the last build writing version 1 wrote it (301 bytes).
 */
class KvSnapshotV1Test {

  private static final String FIXTURE = "/kv-snapshot-v1/busy-log.snapshot";

  private static byte[] fixture() throws IOException {
    try (InputStream in = KvSnapshotV1Test.class.getResourceAsStream(FIXTURE)) {
      return in.readAllBytes();
    }
  }

  @Test
  void theFixtureWrittenByAnOlderBuildRestoresTheStateItWasTakenOf() throws IOException {
    KvStateMachine expected = KvTestSupport.busyLog().machine;
    byte[] fixture = fixture();
    assertEquals(KvSnapshotFormat.VERSION_1, fixture[3]);

    KvStateMachine fromArray = new KvStateMachine(KvTestSupport.LIMITS, KvTestSupport.BUSY_POLICY);
    fromArray.restore(fixture);
    KvStateMachine fromStream =
        new KvStateMachine(KvTestSupport.LIMITS, KvTestSupport.BUSY_POLICY);
    fromStream.restore(new ByteArrayInputStream(fixture));

    for (KvStateMachine restored : List.of(fromArray, fromStream)) {
      // Version 1 holds no history: every key reads as written once, at the snapshot's index.
      long index = expected.lastAppliedIndex();
      assertEquals(contents(expected).stream()
              .map(e -> new KvEntry(e.key(), e.value(), KvTestSupport.created(index))).toList(),
          contents(restored));
      assertEquals(index, restored.compactedRevision());
      assertEquals(expected.sessions(), restored.sessions());
      assertEquals(expected.lastAppliedIndex(), restored.lastAppliedIndex());
      assertEquals(expected.stateBytes(), restored.stateBytes());
      assertEquals(expected.size(), restored.size());
    }
    // Written again in the current version, it restores the same machine, byte for byte.
    KvStateMachine again = new KvStateMachine(KvTestSupport.LIMITS, KvTestSupport.BUSY_POLICY);
    again.restore(fromStream.snapshot());
    assertEquals(
        Arrays.toString(fromStream.snapshot()),
        Arrays.toString(again.snapshot()),
        "restored from version 1, written again in the current version: a fixed point");
  }

  @Test
  void everySingleCorruptedByteIsRefusedAndChangesNothing() throws IOException {
    KvTestSupport.Log log = KvTestSupport.busyLog();
    byte[] snapshot = fixture();
    List<KvEntry> before = contents(log.machine);
    List<ClientSession> sessionsBefore = log.machine.sessions();
    for (int i = 0; i < snapshot.length; i++) {
      byte[] corrupted = snapshot.clone();
      corrupted[i] ^= 0x10;
      InvalidSnapshotException e = assertRefused(log.machine, corrupted);
      String expected = i < 4 ? "unsupported snapshot format version" : "checksum mismatch";
      assertTrue(e.getMessage().contains(expected), "byte " + i + ": " + e.getMessage());
    }
    assertEquals(before, contents(log.machine));
    assertEquals(sessionsBefore, log.machine.sessions());
  }

  @Test
  void truncatedSnapshotsAreRefused() throws IOException {
    byte[] snapshot = fixture();
    for (int length = 0; length < snapshot.length; length++) {
      InvalidSnapshotException e = assertRefused(Arrays.copyOf(snapshot, length));
      assertTrue(
          e.getMessage().contains("too short") || e.getMessage().contains("checksum mismatch"),
          length + " bytes: " + e.getMessage());
    }
  }

  @Test
  void aHandMadeSnapshotFollowingTheFormatIsAccepted() throws IOException {
    // Proves the helpers below write the format, so the refusals that use them are meaningful.
    KvStateMachine machine = new KvStateMachine(KvTestSupport.LIMITS, KvTestSupport.BUSY_POLICY);
    machine.restore(body(10, out -> {
      out.writeInt(1);
      entry(out, "a", "1");
      out.writeInt(1);
      session(out, 3, 4);
    }));
    KvTestSupport.assertValue("1", machine.get("a"));
    assertEquals(List.of(new ClientSession(3, 0, null, 4)), machine.sessions());
    assertEquals(10, machine.lastAppliedIndex());
    assertEquals(2, machine.stateBytes(), "key 'a' and value '1'");
  }

  @Test
  void contentBreakingTheFormatIsRefusedEvenWithAGoodChecksum() throws IOException {
    assertRefusedBecause("keys out of order", body(10, out -> {
      out.writeInt(2);
      entry(out, "b", "1");
      entry(out, "a", "2");
      out.writeInt(0);
    }));
    assertRefusedBecause("keys out of order", body(10, out -> {
      out.writeInt(2);
      entry(out, "a", "1");
      entry(out, "a", "2");
      out.writeInt(0);
    }));
    assertRefusedBecause("invalid key", body(10, out -> {
      out.writeInt(1);
      out.writeInt(1);
      out.writeByte(0xff); // not UTF-8
      out.writeInt(0);
      out.writeInt(0);
    }));
    assertRefusedBecause("appears twice", body(10, out -> {
      out.writeInt(0);
      out.writeInt(2);
      session(out, 3, 4);
      session(out, 3, 4);
    }));
    assertRefusedBecause("after the snapshot's lastAppliedIndex", body(10, out -> {
      out.writeInt(0);
      out.writeInt(1);
      session(out, 3, 11);
    }));
    assertRefusedBecause("unexpected bytes", body(10, out -> {
      out.writeInt(0);
      out.writeInt(0);
      out.writeByte(0);
    }));
    assertRefusedBecause("does not fit", body(10, out -> {
      out.writeInt(Integer.MAX_VALUE); // an entry count no snapshot this size can hold
    }));
  }

  interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  /** A version-1 snapshot with the given body after lastAppliedIndex, and a correct checksum. */
  private static byte[] body(long lastAppliedIndex, Body body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(1);
    out.writeLong(lastAppliedIndex);
    body.write(out);
    CRC32C crc = new CRC32C();
    crc.update(bytes.toByteArray());
    out.writeInt((int) crc.getValue());
    return bytes.toByteArray();
  }

  static void entry(DataOutputStream out, String key, String value) throws IOException {
    out.writeInt(bytes(key).length);
    out.write(bytes(key));
    out.writeInt(bytes(value).length);
    out.write(bytes(value));
  }

  static void session(DataOutputStream out, long clientId, long lastUsedIndex)
      throws IOException {
    out.writeLong(clientId);
    out.writeLong(0);
    out.writeLong(lastUsedIndex);
    out.writeByte(0);
  }

  private static void assertRefusedBecause(String reason, byte[] snapshot) {
    InvalidSnapshotException e = assertRefused(snapshot);
    assertTrue(e.getMessage().contains(reason), reason + " <- " + e.getMessage());
  }

  private static InvalidSnapshotException assertRefused(byte[] snapshot) {
    return assertRefused(
        new KvStateMachine(KvTestSupport.LIMITS, KvTestSupport.BUSY_POLICY), snapshot);
  }

  private static InvalidSnapshotException assertRefused(KvStateMachine machine, byte[] snapshot) {
    return assertThrows(InvalidSnapshotException.class, () -> machine.restore(snapshot));
  }
}
