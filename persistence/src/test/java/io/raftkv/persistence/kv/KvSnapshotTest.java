package io.raftkv.persistence.kv;

import static io.raftkv.persistence.kv.KvTestSupport.bytes;
import static io.raftkv.persistence.kv.KvTestSupport.contents;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.statemachine.SnapshotWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Snapshot and restore in format version 3: the whole machine survives, through the array and the
 * stream forms; bad snapshots are refused, harmlessly.
 */
class KvSnapshotTest {

  private static final SessionPolicy POLICY = KvTestSupport.BUSY_POLICY;
  private static final int VALUE_BYTES_MAX = 1536 * 1024;

  @Test
  void restoreIntoAFreshMachineGivesAnIdenticalMachine() throws IOException {
    KvTestSupport.Log original = KvTestSupport.busyLog();
    byte[] snapshot = original.machine.snapshot();
    assertEquals(KvSnapshotFormat.VERSION_3, ByteBuffer.wrap(snapshot).getInt(0));

    KvStateMachine fromArray = new KvStateMachine(KvTestSupport.LIMITS, POLICY);
    fromArray.restore(snapshot);
    KvStateMachine fromStream = new KvStateMachine(KvTestSupport.LIMITS, POLICY);
    fromStream.restore(new ByteArrayInputStream(snapshot));

    for (KvStateMachine restored : List.of(fromArray, fromStream)) {
      assertEquals(contents(original.machine), contents(restored));
      assertEquals(original.machine.sessions(), restored.sessions());
      assertEquals(original.machine.lastAppliedIndex(), restored.lastAppliedIndex());
      assertEquals(original.machine.size(), restored.size());
      assertEquals(original.machine.stateBytes(), restored.stateBytes());
      assertEquals(original.machine.compactedRevision(), restored.compactedRevision());
      assertEquals(original.machine.changesFrom(1, Integer.MAX_VALUE),
          restored.changesFrom(1, Integer.MAX_VALUE), "the whole history");
      assertEquals(original.machine.historyBytes(), restored.historyBytes());
      assertEquals(original.machine.historyRevisions(), restored.historyRevisions());
      assertArrayEquals(snapshot, restored.snapshot(), "the same state writes the same bytes");
    }
  }

  @Test
  void aPinnedWriterWritesWhatSnapshotWrites() throws IOException {
    KvStateMachine machine = KvTestSupport.busyLog().machine;
    SnapshotWriter writer = machine.pinSnapshot();
    assertEquals(machine.lastAppliedIndex(), writer.index());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(out);
    machine.releaseSnapshot();
    assertArrayEquals(machine.snapshot(), out.toByteArray());
  }

  @Test
  void aRestoredMachineAnswersTheFollowingCommandsAsTheOriginal() {
    KvTestSupport.Log original = KvTestSupport.busyLog();
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
    assertEquals(0, restored.stateBytes());
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
    assertEquals(0, log.machine.stateBytes());
    assertEquals(List.of(), log.machine.sessions());
    assertEquals(0, log.machine.lastAppliedIndex());
  }

  /**
   * A session keeps the result of the write it applied last. Every result type is either one a
   * write can answer, with a tag in the format, or one a session never keeps; a new result type
   * must be put in one of the two groups here (and, if kept, given a tag).
   */
  @Test
  void everyResultASessionCanKeepHasAnEncodingAndRoundTrips() throws IOException {
    List<KvResult> kept =
        List.of(
            KvResult.OK,
            KvResult.NOT_FOUND,
            new KvResult.LimitExceeded(KvLimits.VALUE_BYTES_MAX, 300, 256),
            new KvResult.LimitExceeded("some future limit ✓", Long.MAX_VALUE, -1),
            new KvResult.CasMismatch(null),
            new KvResult.CasMismatch(new byte[0]),
            new KvResult.CasMismatch(new byte[] {0, -1, 7}),
            new KvResult.QuotaExceeded(2_147_483_649L, 2_147_483_648L),
            new KvResult.LeaseGranted(Long.MAX_VALUE, KvCommand.LEASE_TTL_SECONDS_MAX),
            new KvResult.LeaseNotFound(7),
            new KvResult.TxnResult(false, List.of()),
            new KvResult.TxnResult(true, List.of(KvResult.OK, KvResult.NOT_FOUND,
                new KvResult.Value(new byte[] {0, -1}, new KeyRevisions(3, 9, 4)),
                new KvResult.Value(new byte[0], new KeyRevisions(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE)))));
    List<KvResult> neverKept =
        List.of(
            new KvResult.Compacted(3, 5),
            new KvResult.FutureRevision(9, 7),
            new KvResult.Value(new byte[1], KeyRevisions.NONE),
            new KvResult.ScanResult(List.of(), false),
            new KvResult.SessionRegistered(1),
            new KvResult.SessionExpired(1),
            new KvResult.StaleRequest(1, 1, 2));
    for (Class<?> type : KvResult.class.getPermittedSubclasses()) {
      boolean isKept = kept.stream().anyMatch(type::isInstance);
      boolean isNeverKept = neverKept.stream().anyMatch(type::isInstance);
      assertTrue(isKept != isNeverKept, type.getSimpleName() + " must be in exactly one group");
    }
    kept.forEach(result -> assertTrue(KvSnapshotCodec.encodable(result), result.toString()));
    neverKept.forEach(result -> assertTrue(!KvSnapshotCodec.encodable(result), result.toString()));

    List<ClientSession> sessions = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      sessions.add(new ClientSession(i + 1, 5, kept.get(i), 20));
    }
    sessions.add(new ClientSession(100, 0, null, 100));
    KvStateMachine machine = new KvStateMachine(KvTestSupport.LIMITS, POLICY);
    machine.restore(KvTestSupport.snapshotBytes(100, new TreeMap<>(), sessions));
    assertEquals(sessions, machine.sessions());
  }

  /** What writes really answer, and so what sessions really keep, over a busy random run. */
  @Test
  void sessionsOfARandomRunKeepOnlyEncodableResults() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    KvTestSupport.Log log = new KvTestSupport.Log(new KvStateMachine(KvTestSupport.LIMITS, POLICY));
    List<Long> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clients.add(log.register());
    }
    long[] sequences = new long[clients.size()];
    java.util.Set<Class<?>> keptTypes = new java.util.HashSet<>();
    for (int step = 0; step < 2_000; step++) {
      int client = random.nextInt(clients.size());
      RequestId id = RequestId.of(clients.get(client), ++sequences[client]);
      String key = "k" + random.nextInt(4);
      byte[] value = new byte[random.nextInt(10) == 0 ? 300 : random.nextInt(200)];
      KvCommand command =
          switch (random.nextInt(4)) {
            case 0 -> new KvCommand.Put(id, key, value);
            case 1 -> new KvCommand.Append(id, key, value);
            case 2 -> new KvCommand.Delete(id, key);
            default -> new KvCommand.CompareAndSet(
                id, key, random.nextBoolean() ? null : new byte[0], value);
          };
      log.apply(command);
      for (ClientSession session : log.machine.sessions()) {
        assertTrue(
            KvSnapshotCodec.encodable(session.lastResult()),
            "seed " + seed + ": " + session.lastResult());
        if (session.lastResult() != null) {
          keptTypes.add(session.lastResult().getClass());
        }
      }
    }
    assertEquals(
        java.util.Set.of(
            KvResult.Ok.class,
            KvResult.NotFound.class,
            KvResult.LimitExceeded.class,
            KvResult.CasMismatch.class),
        keptTypes,
        "seed " + seed);
    KvStateMachine restored = new KvStateMachine(KvTestSupport.LIMITS, POLICY);
    restored.restore(log.machine.snapshot());
    assertEquals(log.machine.sessions(), restored.sessions(), "seed " + seed);
  }

  /** 8 values of 1.5 MiB (12 MiB): arrays far larger than the 64 KiB stream buffer. */
  @Test
  void valuesOfOneAndAHalfMebibytesRoundTripAndTheirCorruptionIsCaught() throws IOException {
    KvLimits limits = new KvLimits(64, VALUE_BYTES_MAX, 100);
    KvTestSupport.Log log = new KvTestSupport.Log(new KvStateMachine(limits, POLICY));
    Random random = new Random(15);
    for (int i = 0; i < 8; i++) {
      byte[] value = new byte[VALUE_BYTES_MAX];
      random.nextBytes(value);
      log.apply(new KvCommand.Put(RequestId.UNTRACKED, "big-" + i, value));
    }
    log.apply(KvTestSupport.put("small", "s"));
    byte[] snapshot = log.machine.snapshot();

    KvStateMachine restored = new KvStateMachine(limits, POLICY);
    restored.restore(new ByteArrayInputStream(snapshot));
    assertEquals(contents(log.machine), contents(restored));
    assertEquals(8L * (5 + VALUE_BYTES_MAX) + 6, restored.stateBytes());

    byte[] corrupted = snapshot.clone();
    corrupted[snapshot.length / 2 + 1000] ^= 1; // inside the fifth large value
    InvalidSnapshotException e =
        assertThrows(
            InvalidSnapshotException.class,
            () -> restored.restore(new ByteArrayInputStream(corrupted)));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertEquals(contents(log.machine), contents(restored));
  }

  @Test
  void aVersion2SnapshotOfAnOlderBuildRestoresItsKeysAsWrittenAtItsIndex() throws IOException {
    KvTestSupport.Log original = KvTestSupport.busyLog();
    long index = original.machine.lastAppliedIndex();
    java.util.TreeMap<String, byte[]> values = new java.util.TreeMap<>();
    for (KvEntry e : contents(original.machine)) {
      values.put(e.key(), e.value());
    }
    java.io.ByteArrayOutputStream v2 = new java.io.ByteArrayOutputStream();
    KvSnapshotV2Writer.write(v2, index, original.machine.sessions(), values.entrySet().iterator());
    assertEquals(KvSnapshotFormat.VERSION_2, ByteBuffer.wrap(v2.toByteArray()).getInt(0));

    KvStateMachine restored = new KvStateMachine(KvTestSupport.LIMITS, POLICY);
    restored.restore(new ByteArrayInputStream(v2.toByteArray()));
    assertEquals(contents(original.machine).stream()
        .map(e -> new KvEntry(e.key(), e.value(), KvTestSupport.created(index))).toList(), contents(restored));
    assertEquals(original.machine.sessions(), restored.sessions());
    assertEquals(index, restored.compactedRevision(), "no history before the snapshot");
    assertEquals(original.machine.stateBytes(), restored.stateBytes());
  }

  @Test
  void anUnknownVersionIsRefusedByName() {
    byte[] snapshot = KvTestSupport.busyLog().machine.snapshot();
    ByteBuffer.wrap(snapshot).putInt(0, 4);
    InvalidSnapshotException e = assertRefused(snapshot);
    assertEquals(
        "unsupported snapshot format version 4; this build reads versions 1 to 3",
        e.getMessage());
  }

  @Test
  void everySingleCorruptedByteIsRefusedAndChangesNothing() {
    KvTestSupport.Log log = KvTestSupport.busyLog();
    byte[] snapshot = log.machine.snapshot();
    KvTestSupport.Log other = new KvTestSupport.Log();
    other.apply(KvTestSupport.put("other", "state"));
    List<KvEntry> before = contents(other.machine);
    for (int i = 0; i < snapshot.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] corrupted = snapshot.clone();
        corrupted[i] ^= (byte) (1 << bit);
        assertRefused(other.machine, corrupted);
      }
    }
    assertEquals(before, contents(other.machine));
    assertEquals(List.of(), other.machine.sessions());
    assertEquals(1, other.machine.lastAppliedIndex());
    assertEquals(10, other.machine.stateBytes());
  }

  @Test
  void everyTruncationIsRefusedAndChangesNothing() {
    byte[] snapshot = KvTestSupport.busyLog().machine.snapshot();
    KvTestSupport.Log other = new KvTestSupport.Log();
    other.apply(KvTestSupport.put("other", "state"));
    for (int length = 0; length < snapshot.length; length++) {
      InvalidSnapshotException e = assertRefused(other.machine, Arrays.copyOf(snapshot, length));
      assertTrue(
          e.getMessage().contains("ends early") || e.getMessage().contains("too short"),
          length + " bytes: " + e.getMessage());
    }
    assertEquals(List.of(new KvEntry("other", bytes("state"), KvTestSupport.created(1))), contents(other.machine));
  }

  @Test
  void missingSnapshotIsRefused() {
    assertTrue(assertRefused(null).getMessage().contains("null"));
  }

  @Test
  void aHandMadeSnapshotFollowingTheFormatIsAccepted() throws IOException {
    // Proves the helpers below write the format, so the refusals that use them are meaningful.
    KvStateMachine machine = new KvStateMachine(KvTestSupport.LIMITS, POLICY);
    machine.restore(v2(10, out -> {
      out.writeInt(1);
      session(out, 3, 4);
      entry(out, "a", "1");
      entry(out, "b", "22");
      end(out, 2, 3);
    }));
    KvTestSupport.assertValue("1", machine.get("a"));
    KvTestSupport.assertValue("22", machine.get("b"));
    assertEquals(List.of(new ClientSession(3, 0, null, 4)), machine.sessions());
    assertEquals(10, machine.lastAppliedIndex());
    assertEquals(5, machine.stateBytes());
  }

  @Test
  void contentBreakingTheFormatIsRefusedEvenWithAGoodChecksum() throws IOException {
    assertRefusedBecause("keys out of order: 'a' after 'b'", v2(10, out -> {
      out.writeInt(0);
      entry(out, "b", "1");
      entry(out, "a", "2");
      end(out, 2, 2);
    }));
    assertRefusedBecause("key 'a' repeated", v2(10, out -> {
      out.writeInt(0);
      entry(out, "a", "1");
      entry(out, "a", "2");
      end(out, 2, 2);
    }));
    assertRefusedBecause("invalid key", v2(10, out -> {
      out.writeInt(0);
      out.writeByte(1);
      out.writeInt(1);
      out.writeByte(0xff); // not UTF-8
      out.writeInt(0);
      end(out, 1, 0);
    }));
    assertRefusedBecause("states 3 entries but holds 2", v2(10, out -> {
      out.writeInt(0);
      entry(out, "a", "1");
      entry(out, "b", "2");
      end(out, 3, 2);
    }));
    assertRefusedBecause("states 3 value bytes but holds 2", v2(10, out -> {
      out.writeInt(0);
      entry(out, "a", "1");
      entry(out, "b", "2");
      end(out, 2, 3);
    }));
    assertRefusedBecause("unknown entry marker 7 after 1 entries", v2(10, out -> {
      out.writeInt(0);
      entry(out, "a", "1");
      out.writeByte(7);
    }));
    assertRefusedBecause("appears twice", v2(10, out -> {
      out.writeInt(2);
      session(out, 3, 4);
      session(out, 3, 4);
      end(out, 0, 0);
    }));
    assertRefusedBecause("after the snapshot's lastAppliedIndex", v2(10, out -> {
      out.writeInt(1);
      session(out, 3, 11);
      end(out, 0, 0);
    }));
    assertRefusedBecause("negative session count", v2(10, out -> out.writeInt(-1)));
    assertRefusedBecause("value length -2 is negative", v2(10, out -> {
      out.writeInt(0);
      out.writeByte(1);
      out.writeInt(1);
      out.write(bytes("a"));
      out.writeInt(-2);
    }));
    byte[] trailing = v2(10, out -> {
      out.writeInt(0);
      end(out, 0, 0);
    });
    assertRefusedBecause("unexpected bytes after the checksum", Arrays.copyOf(trailing, trailing.length + 1));
  }

  @Test
  void aCorruptedLengthCannotAllocateMoreThanTheStreamHolds() throws IOException {
    // A value said to be 2 GiB - 1 in a snapshot of a few bytes: refused as truncated, at once.
    InvalidSnapshotException e =
        assertRefused(v2(10, out -> {
          out.writeInt(0);
          out.writeByte(1);
          out.writeInt(1);
          out.write(bytes("a"));
          out.writeInt(Integer.MAX_VALUE);
          out.write(new byte[100]);
        }));
    assertTrue(e.getMessage().contains("ends early"), e.getMessage());
  }

  interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  /** A version-2 snapshot with the given body after lastAppliedIndex, and a correct checksum. */
  private static byte[] v2(long lastAppliedIndex, Body body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(2);
    out.writeLong(lastAppliedIndex);
    body.write(out);
    CRC32C crc = new CRC32C();
    crc.update(bytes.toByteArray());
    out.writeInt((int) crc.getValue());
    return bytes.toByteArray();
  }

  private static void entry(DataOutputStream out, String key, String value) throws IOException {
    out.writeByte(1);
    KvSnapshotV1Test.entry(out, key, value);
  }

  private static void end(DataOutputStream out, long entries, long valueBytes) throws IOException {
    out.writeByte(0);
    out.writeLong(entries);
    out.writeLong(valueBytes);
  }

  private static void session(DataOutputStream out, long clientId, long lastUsedIndex)
      throws IOException {
    KvSnapshotV1Test.session(out, clientId, lastUsedIndex);
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
