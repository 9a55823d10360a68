package io.raftkv.persistence.kv;

import static io.raftkv.persistence.kv.KvTestSupport.bytes;
import static io.raftkv.persistence.kv.KvTestSupport.contents;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Snapshot and restore: the whole machine survives; bad snapshots are refused, harmlessly. */
class KvSnapshotTest {

  private static final SessionPolicy POLICY = new SessionPolicy(20, 8);

  @Test
  void restoreIntoAFreshMachineGivesAnIdenticalMachine() {
    KvTestSupport.Log original = busyLog();
    byte[] snapshot = original.machine.snapshot();

    KvStateMachine restored = new KvStateMachine(KvTestSupport.LIMITS, POLICY);
    restored.restore(snapshot);

    assertEquals(contents(original.machine), contents(restored));
    assertEquals(original.machine.sessions(), restored.sessions());
    assertEquals(original.machine.lastAppliedIndex(), restored.lastAppliedIndex());
    assertArrayEquals(snapshot, restored.snapshot(), "the same state writes the same bytes");
  }

  @Test
  void aRestoredMachineAnswersTheFollowingCommandsAsTheOriginal() {
    KvTestSupport.Log original = busyLog();
    KvTestSupport.Log restored =
        new KvTestSupport.Log(new KvStateMachine(KvTestSupport.LIMITS, POLICY));
    restored.machine.restore(original.machine.snapshot());
    restored.nextIndex = original.nextIndex;

    // Retries answered from the kept results, stale ones, expiry and eviction all carry over.
    List<KvCommand> following = new ArrayList<>();
    for (ClientSession session : original.machine.sessions()) {
      long id = session.clientId();
      // A retry of the last write (a first write for a session that has none yet).
      following.add(
          new KvCommand.Append(
              RequestId.of(id, Math.max(1, session.lastSequence())), "a", bytes("!")));
      following.add(new KvCommand.Append(RequestId.of(id, 1), "a", bytes("?")));
      following.add(
          new KvCommand.Append(RequestId.of(id, session.lastSequence() + 1), "a", bytes("+")));
    }
    for (int i = 0; i < 6; i++) {
      following.add(new KvCommand.RegisterSession());
    }
    following.add(new KvCommand.Scan("", 100));
    for (KvCommand command : following) {
      assertEquals(original.apply(command), restored.apply(command), command.toString());
    }
    assertEquals(contents(original.machine), contents(restored.machine));
    assertEquals(original.machine.sessions(), restored.machine.sessions());
  }

  @Test
  void anEmptyMachineRoundTrips() {
    KvStateMachine machine = new KvStateMachine(KvTestSupport.LIMITS, POLICY);
    KvStateMachine restored = new KvStateMachine(KvTestSupport.LIMITS, POLICY);
    restored.restore(machine.snapshot());
    assertEquals(0, restored.size());
    assertEquals(List.of(), restored.sessions());
    assertEquals(0, restored.lastAppliedIndex());
  }

  @Test
  void restoreReplacesTheWholeState() {
    KvTestSupport.Log log = new KvTestSupport.Log(new KvStateMachine(KvTestSupport.LIMITS, POLICY));
    byte[] empty = log.machine.snapshot();
    log.register();
    log.apply(KvTestSupport.put("k", "v"));
    log.machine.restore(empty);
    assertEquals(0, log.machine.size());
    assertEquals(List.of(), log.machine.sessions());
    assertEquals(0, log.machine.lastAppliedIndex());
  }

  @Test
  void anUnknownVersionIsRefusedByName() {
    byte[] snapshot = busyLog().machine.snapshot();
    ByteBuffer.wrap(snapshot).putInt(0, 2);
    InvalidSnapshotException e = assertRefused(snapshot);
    assertEquals(
        "unsupported snapshot format version 2; this build reads version 1", e.getMessage());
  }

  @Test
  void everySingleCorruptedByteIsRefusedAndChangesNothing() {
    KvTestSupport.Log log = busyLog();
    byte[] snapshot = log.machine.snapshot();
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
  void truncatedOrMissingSnapshotsAreRefused() {
    byte[] snapshot = busyLog().machine.snapshot();
    assertRefused(java.util.Arrays.copyOf(snapshot, snapshot.length - 1));
    assertTrue(assertRefused(new byte[3]).getMessage().contains("too short"));
    assertTrue(assertRefused(null).getMessage().contains("null"));
  }

  @Test
  void aHandMadeSnapshotFollowingTheFormatIsAccepted() throws IOException {
    // Proves the helpers below write the format, so the refusals that use them are meaningful.
    KvStateMachine machine = new KvStateMachine(KvTestSupport.LIMITS, POLICY);
    machine.restore(body(10, out -> {
      out.writeInt(1);
      entry(out, "a", "1");
      out.writeInt(1);
      session(out, 3, 4);
    }));
    assertEquals(KvTestSupport.value("1"), machine.get("a"));
    assertEquals(List.of(new ClientSession(3, 0, null, 4)), machine.sessions());
    assertEquals(10, machine.lastAppliedIndex());
  }

  @Test
  void contentBreakingTheFormatIsRefusedEvenWithAGoodChecksum() throws IOException {
    assertRefusedBecause("keys out of order", body(10, out -> {
      out.writeInt(2);
      entry(out, "b", "1");
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

  /** A machine that has seen every kind of command, with sessions keeping every kind of result. */
  private static KvTestSupport.Log busyLog() {
    KvTestSupport.Log log = new KvTestSupport.Log(new KvStateMachine(KvTestSupport.LIMITS, POLICY));
    long a = log.register();
    long b = log.register();
    long c = log.register();
    long d = log.register();
    long e = log.register();
    log.register(); // f: no write yet, so no result kept
    log.apply(KvTestSupport.put("plain", "value"));
    log.apply(new KvCommand.Put(RequestId.UNTRACKED, "binary", new byte[] {0, -1, 127, -128}));
    log.apply(KvTestSupport.put("empty", ""));
    log.apply(KvTestSupport.put("ключ \uD83D\uDE00", "unicode key"));
    log.apply(new KvCommand.Append(RequestId.of(a, 1), "plain", bytes("+a")));
    log.apply(new KvCommand.Delete(RequestId.of(b, 1), "absent"));
    log.apply(new KvCommand.CompareAndSet(RequestId.of(c, 1), "plain", bytes("no"), bytes("x")));
    log.apply(new KvCommand.CompareAndSet(RequestId.of(d, 2), "absent", bytes("no"), bytes("x")));
    log.apply(new KvCommand.Put(RequestId.of(e, 3), "k", new byte[300]));
    // Every kind of kept result is in the snapshot, so its encoding is exercised.
    assertEquals(
        java.util.Arrays.asList(
            KvResult.OK,
            KvResult.NOT_FOUND,
            new KvResult.CasMismatch(bytes("value+a")),
            new KvResult.CasMismatch(null),
            new KvResult.LimitExceeded("valueBytesMax", 300, 256),
            null),
        log.machine.sessions().stream().map(ClientSession::lastResult).toList());
    return log;
  }

  private interface Body {
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

  private static void entry(DataOutputStream out, String key, String value) throws IOException {
    out.writeInt(bytes(key).length);
    out.write(bytes(key));
    out.writeInt(bytes(value).length);
    out.write(bytes(value));
  }

  private static void session(DataOutputStream out, long clientId, long lastUsedIndex)
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
    return assertRefused(new KvStateMachine(KvTestSupport.LIMITS, POLICY), snapshot);
  }

  private static InvalidSnapshotException assertRefused(KvStateMachine machine, byte[] snapshot) {
    return assertThrows(InvalidSnapshotException.class, () -> machine.restore(snapshot));
  }
}
