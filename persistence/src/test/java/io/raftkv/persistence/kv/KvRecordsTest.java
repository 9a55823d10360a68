package io.raftkv.persistence.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Commands and results: value equality over arrays, immutability, short text, refusals. */
class KvRecordsTest {

  private static final RequestId ID = RequestId.of(7, 3);

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void recordsHoldingArraysCompareByContent() {
    assertEquals(new KvCommand.Put(ID, "k", bytes("v")), new KvCommand.Put(ID, "k", bytes("v")));
    assertEquals(
        new KvCommand.Put(ID, "k", bytes("v")).hashCode(),
        new KvCommand.Put(ID, "k", bytes("v")).hashCode());
    assertNotEquals(new KvCommand.Put(ID, "k", bytes("v")), new KvCommand.Put(ID, "k", bytes("w")));
    assertEquals(
        new KvCommand.Append(ID, "k", bytes("v")), new KvCommand.Append(ID, "k", bytes("v")));
    assertNotEquals(
        new KvCommand.Append(ID, "k", bytes("v")), new KvCommand.Put(ID, "k", bytes("v")));
    assertEquals(
        new KvCommand.CompareAndSet(ID, "k", null, bytes("v")),
        new KvCommand.CompareAndSet(ID, "k", null, bytes("v")));
    assertNotEquals(
        new KvCommand.CompareAndSet(ID, "k", null, bytes("v")),
        new KvCommand.CompareAndSet(ID, "k", bytes(""), bytes("v")));
    assertEquals(new KvResult.Value(bytes("v"), KeyRevisions.NONE), new KvResult.Value(bytes("v"), KeyRevisions.NONE));
    assertEquals(
        new KvResult.Value(bytes("v"), KeyRevisions.NONE).hashCode(), new KvResult.Value(bytes("v"), KeyRevisions.NONE).hashCode());
    assertEquals(new KvResult.CasMismatch(null), new KvResult.CasMismatch(null));
    assertNotEquals(new KvResult.CasMismatch(null), new KvResult.CasMismatch(bytes("")));
    assertEquals(new KvEntry("k", bytes("v"), KeyRevisions.NONE), new KvEntry("k", bytes("v"), KeyRevisions.NONE));
    assertEquals(
        new KvResult.ScanResult(List.of(new KvEntry("k", bytes("v"), KeyRevisions.NONE)), false),
        new KvResult.ScanResult(List.of(new KvEntry("k", bytes("v"), KeyRevisions.NONE)), false));
  }

  @Test
  void valuesAreCopiedInAndOut() {
    byte[] original = bytes("abc");
    KvCommand.Put put = new KvCommand.Put(ID, "k", original);
    original[0] = 'X';
    put.value()[1] = 'Y';
    assertArrayEquals(bytes("abc"), put.value());

    KvResult.Value value = new KvResult.Value(bytes("abc"), KeyRevisions.NONE);
    value.value()[0] = 'X';
    assertArrayEquals(bytes("abc"), value.value());

    byte[] expected = bytes("e");
    KvCommand.CompareAndSet cas = new KvCommand.CompareAndSet(ID, "k", expected, bytes("v"));
    expected[0] = 'X';
    cas.expected()[0] = 'Y';
    assertArrayEquals(bytes("e"), cas.expected());

    List<KvEntry> entries = new ArrayList<>(List.of(new KvEntry("k", bytes("v"), KeyRevisions.NONE)));
    KvResult.ScanResult scan = new KvResult.ScanResult(entries, false);
    entries.clear();
    assertEquals(1, scan.entries().size());
    assertThrows(UnsupportedOperationException.class, () -> scan.entries().clear());
  }

  @Test
  void toStringShowsShortReadableValues() {
    assertEquals(
        "Put[RequestId[clientId=7, sequence=3], key=k, value=5 bytes \"hello\"]",
        new KvCommand.Put(ID, "k", bytes("hello")).toString());
    assertEquals(
        "Value[3 bytes 0x00ff10, KeyRevisions[createRevision=0, modRevision=0, version=0]]", new KvResult.Value(new byte[] {0, -1, 16}, KeyRevisions.NONE).toString());
    assertEquals("CasMismatch[current=missing]", new KvResult.CasMismatch(null).toString());
    String big = new KvCommand.Append(ID, "k", new byte[10_000]).toString();
    assertTrue(big.length() < 150, big);
    assertTrue(big.contains("10000 bytes 0x0000") && big.endsWith("...]"), big);
  }

  @Test
  void requestIdRules() {
    assertFalse(RequestId.UNTRACKED.tracked());
    assertTrue(RequestId.of(1, 1).tracked());
    assertThrows(IllegalArgumentException.class, () -> RequestId.of(0, 1));
    assertThrows(IllegalArgumentException.class, () -> RequestId.of(1, 0));
    assertThrows(IllegalArgumentException.class, () -> RequestId.of(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> RequestId.of(1, -1));
  }

  @Test
  void keysMustBeNonEmptyWellFormedText() {
    assertThrows(NullPointerException.class, () -> new KvCommand.Get(null));
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> new KvCommand.Delete(ID, ""));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    // A lone surrogate has no UTF-8 form; it would not survive a snapshot.
    IllegalArgumentException lone =
        assertThrows(IllegalArgumentException.class, () -> new KvCommand.Get("a\uD800b"));
    assertTrue(lone.getMessage().contains("lone surrogate at char index 1"), lone.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new KvCommand.Scan("\uDC00", 1));
    new KvCommand.Get("emoji \uD83D\uDE00");
    new KvCommand.Scan("", 1);
  }

  @Test
  void commandsRefuseMissingParts() {
    assertThrows(NullPointerException.class, () -> new KvCommand.Put(ID, "k", null));
    assertThrows(NullPointerException.class, () -> new KvCommand.Put(null, "k", bytes("v")));
    assertThrows(NullPointerException.class, () -> new KvCommand.Append(ID, "k", null));
    assertThrows(
        NullPointerException.class, () -> new KvCommand.CompareAndSet(ID, "k", bytes("e"), null));
    assertThrows(NullPointerException.class, () -> new KvResult.Value(null, KeyRevisions.NONE));
    IllegalArgumentException limit =
        assertThrows(IllegalArgumentException.class, () -> new KvCommand.Scan("p", 0));
    assertTrue(limit.getMessage().contains("limitEntries"), limit.getMessage());
  }

  @Test
  void utf8LengthCountsEncodedBytes() {
    assertEquals(3, Keys.utf8Length("abc", "key"));
    assertEquals(2, Keys.utf8Length("é", "key"));
    assertEquals(3, Keys.utf8Length("€", "key"));
    assertEquals(4, Keys.utf8Length("\uD83D\uDE00", "key"));
    String mixed = "aé€\uD83D\uDE00";
    assertEquals(bytes(mixed).length, Keys.utf8Length(mixed, "key"));
  }
}
