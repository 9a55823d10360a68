package io.raftkv.persistence.kv;

import static io.raftkv.persistence.kv.KvTestSupport.bytes;
import static io.raftkv.persistence.kv.KvTestSupport.contents;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.statemachine.SnapshotWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pinned snapshot, on one thread: whatever is applied after the pin (overwrites, deletes,
 * re-creations, appends, cas, new keys, session changes), the writer writes the state at the pin,
 * byte for byte what {@link KvStateMachine#snapshot()} wrote then; readers see the newest state;
 * release leaves no tombstone or older version behind. The concurrent case is
 * {@link KvSnapshotWhileApplyingTest}.
 */
class KvPinnedSnapshotTest {

  @Test
  void theWriterWritesTheStateAtThePinWhateverIsAppliedAfter() throws IOException {
    KvTestSupport.Log log = new KvTestSupport.Log();
    long client = log.register();
    for (String key : List.of("a", "b", "c", "d", "e", "f", "g")) {
      log.apply(KvTestSupport.put(key, key + "-at-pin"));
    }
    log.apply(new KvCommand.Put(RequestId.of(client, 1), "h", bytes("h-at-pin")));
    byte[] atPin = log.machine.snapshot();
    List<KvEntry> contentsAtPin = contents(log.machine);
    List<ClientSession> sessionsAtPin = log.machine.sessions();

    SnapshotWriter writer = log.machine.pinSnapshot();
    assertEquals(log.machine.lastAppliedIndex(), writer.index());
    log.apply(KvTestSupport.put("a", "a-1")); // overwritten twice
    log.apply(KvTestSupport.put("a", "a-2"));
    log.apply(KvTestSupport.delete("b")); // deleted
    log.apply(KvTestSupport.delete("c")); // deleted, then re-created
    log.apply(KvTestSupport.put("c", "c-1"));
    log.apply(KvTestSupport.delete("d")); // deleted, re-created, deleted again
    log.apply(KvTestSupport.put("d", "d-1"));
    log.apply(KvTestSupport.delete("d"));
    log.apply(KvTestSupport.append("e", "+1")); // appended twice
    log.apply(KvTestSupport.append("e", "+2"));
    assertEquals(KvResult.OK, log.apply(KvTestSupport.cas("f", "f-at-pin", "f-1")));
    assertEquals(
        new KvResult.CasMismatch(bytes("g-at-pin")), log.apply(KvTestSupport.cas("g", "x", "y")));
    log.apply(KvTestSupport.put("new-1", "n")); // created
    log.apply(KvTestSupport.put("new-2", "n")); // created, then deleted
    log.apply(KvTestSupport.delete("new-2"));
    log.apply(KvTestSupport.put("new-3", "n")); // created, deleted, created again
    log.apply(KvTestSupport.delete("new-3"));
    log.apply(KvTestSupport.put("new-3", "n-2"));
    assertEquals(KvResult.NOT_FOUND, log.apply(KvTestSupport.delete("absent")));
    log.apply(new KvCommand.Put(RequestId.of(client, 2), "h", bytes("h-1")));
    log.register();

    List<KvEntry> newest =
        List.of(
            entry("a", "a-2"),
            entry("c", "c-1"),
            entry("e", "e-at-pin+1+2"),
            entry("f", "f-1"),
            entry("g", "g-at-pin"),
            entry("h", "h-1"),
            entry("new-1", "n"),
            entry("new-3", "n-2"));
    assertNewest(log.machine, newest);
    KvStore store = log.machine.store();
    assertTrue(store.versionCount() > newest.size() + 2, "history keeps older versions");
    assertEquals(newest.size() + 3, store.mapEntries(), "tombstones of b, d and new-2");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(out);
    assertArrayEquals(atPin, out.toByteArray());
    KvStateMachine restored = new KvStateMachine(KvTestSupport.LIMITS, KvTestSupport.ROOMY_SESSIONS);
    restored.restore(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(contentsAtPin, contents(restored));
    assertEquals(sessionsAtPin, restored.sessions());

    log.machine.releaseSnapshot();
    assertNewest(log.machine, newest);
    // Compacted to the last index, history keeps the newest version of each key and nothing else.
    assertEquals(KvResult.OK, log.apply(new KvCommand.Compact(log.nextIndex - 1)));
    assertEquals(newest.size(), store.versionCount());
    assertEquals(newest.size(), store.mapEntries());
    assertNewest(log.machine, newest);

    log.apply(KvTestSupport.put("a", "a-3"));
    log.apply(KvTestSupport.delete("c"));
    assertEquals(newest.size() + 2, store.versionCount(), "a's older version and c's tombstone");
    assertEquals(KvResult.OK, log.apply(new KvCommand.Compact(log.nextIndex - 1)));
    assertEquals(newest.size() - 1, store.versionCount());
    assertEquals(newest.size() - 1, store.mapEntries());
  }

  @Test
  void scansSkipTombstonesAndCountOnlyLiveKeysAgainstTheirLimit() {
    KvTestSupport.Log log = new KvTestSupport.Log();
    for (String key : List.of("p/1", "p/2", "p/3", "p/4", "p/5")) {
      log.apply(KvTestSupport.put(key, "v"));
    }
    log.machine.pinSnapshot();
    log.apply(KvTestSupport.delete("p/2"));
    log.apply(KvTestSupport.delete("p/4"));
    assertEquals(
        new KvResult.ScanResult(List.of(entryAt("p/1", 1), entryAt("p/3", 3)), true),
        log.machine.scan("p/", 2));
    assertEquals(
        new KvResult.ScanResult(List.of(entryAt("p/1", 1), entryAt("p/3", 3), entryAt("p/5", 5)), false),
        log.machine.scan("p/", 3));
    assertEquals(KvResult.NOT_FOUND, log.machine.get("p/2"));
    assertEquals(3, log.machine.size());
    log.machine.releaseSnapshot();
  }

  @Test
  void aSecondPinIsRefusedUntilTheFirstIsReleased() throws IOException {
    KvTestSupport.Log log = new KvTestSupport.Log();
    log.apply(KvTestSupport.put("k", "1"));
    log.machine.releaseSnapshot(); // no pin: nothing happens
    SnapshotWriter first = log.machine.pinSnapshot();
    IllegalStateException e = assertThrows(IllegalStateException.class, log.machine::pinSnapshot);
    assertTrue(e.getMessage().contains("pinned already, at index 1"), e.getMessage());
    log.apply(KvTestSupport.put("k", "2"));
    log.machine.releaseSnapshot();

    SnapshotWriter second = log.machine.pinSnapshot();
    assertEquals(2, second.index());
    byte[] atSecondPin = log.machine.snapshot();
    log.apply(KvTestSupport.put("k", "3"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    second.writeTo(out);
    assertArrayEquals(atSecondPin, out.toByteArray());
    assertThrows(IllegalStateException.class, () -> second.writeTo(new ByteArrayOutputStream()));
    log.machine.releaseSnapshot();
    // The first writer's pin is gone: it refuses rather than write a mix of versions.
    assertThrows(IOException.class, () -> first.writeTo(new ByteArrayOutputStream()));
  }

  @Test
  void aWriterWhosePinIsReleasedWhileItWritesFails() {
    KvTestSupport.Log log = new KvTestSupport.Log();
    log.apply(KvTestSupport.put("k", "1"));
    SnapshotWriter writer = log.machine.pinSnapshot();
    OutputStream releasingOnFirstWrite =
        new FilterOutputStream(new ByteArrayOutputStream()) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            log.machine.releaseSnapshot();
            out.write(b, off, len);
          }
        };
    IOException e = assertThrows(IOException.class, () -> writer.writeTo(releasingOnFirstWrite));
    assertTrue(e.getMessage().contains("released while being written"), e.getMessage());
  }

  @Test
  void restoreDuringAPinLeavesTheWriterItsPinnedState() throws IOException {
    KvTestSupport.Log log = new KvTestSupport.Log();
    log.apply(KvTestSupport.put("mine", "1"));
    log.apply(KvTestSupport.put("both", "1"));
    byte[] atPin = log.machine.snapshot();
    SnapshotWriter writer = log.machine.pinSnapshot();

    KvTestSupport.Log leader = new KvTestSupport.Log();
    leader.advance(10);
    leader.apply(KvTestSupport.put("both", "leader"));
    leader.apply(KvTestSupport.put("theirs", "leader"));
    log.machine.restore(leader.machine.snapshot());
    log.nextIndex = leader.nextIndex;
    log.apply(KvTestSupport.delete("both"));
    log.apply(KvTestSupport.put("theirs", "2"));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(out);
    assertArrayEquals(atPin, out.toByteArray());
    log.machine.releaseSnapshot();
    assertNewest(log.machine, List.of(entry("theirs", "2")));
    assertEquals(2, log.machine.store().mapEntries(), "both's tombstone, kept until compacted");
  }

  @Test
  void aWriteThatDoesNotFollowThePinIsRefused() {
    KvStore store = new KvStore();
    store.put("k", bytes("v"), 10, 0);
    store.publish();
    store.pin(10);
    assertThrows(IllegalArgumentException.class, () -> store.put("k", bytes("w"), 10, 0));
    assertThrows(IllegalArgumentException.class, () -> store.delete("k", 9));
    assertArrayEquals(bytes("v"), store.current("k").value());
  }

  /** Reads, the key count and the byte count all see the newest state. */
  private static void assertNewest(KvStateMachine machine, List<KvEntry> newest) {
    assertEquals(keyValues(newest), keyValues(contents(machine)));
    for (KvEntry entry : newest) {
      assertArrayEquals(entry.value(), ((KvResult.Value) machine.get(entry.key())).value());
    }
    assertEquals(newest.size(), machine.size());
    assertEquals(stateBytes(newest), machine.stateBytes());
  }

  static long stateBytes(List<KvEntry> entries) {
    return entries.stream()
        .mapToLong(e -> e.key().getBytes(StandardCharsets.UTF_8).length + e.value().length)
        .sum();
  }

  private static KvEntry entry(String key, String value) {
    return new KvEntry(key, bytes(value), KeyRevisions.NONE);
  }

  /** An entry of value "v", created at {@code revision}. */
  private static KvEntry entryAt(String key, long revision) {
    return new KvEntry(key, bytes("v"), KvTestSupport.created(revision));
  }

  private static List<String> keyValues(List<KvEntry> entries) {
    return entries.stream()
        .map(e -> e.key() + "=" + new String(e.value(), StandardCharsets.UTF_8))
        .toList();
  }
}
