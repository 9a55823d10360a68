package io.raftkv.persistence.kv;

import static io.raftkv.persistence.kv.KvTestSupport.append;
import static io.raftkv.persistence.kv.KvTestSupport.bytes;
import static io.raftkv.persistence.kv.KvTestSupport.cas;
import static io.raftkv.persistence.kv.KvTestSupport.delete;
import static io.raftkv.persistence.kv.KvTestSupport.put;
import static io.raftkv.persistence.kv.KvTestSupport.assertValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.statemachine.StateMachineCommand;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each operation and its answer, through {@code apply} and through the direct read methods. */
class KvStateMachineOperationsTest {

  private final KvTestSupport.Log log = new KvTestSupport.Log();
  private final KvStateMachine machine = log.machine;

  @Test
  void getOfMissingKeyIsNotFound() {
    assertEquals(KvResult.NOT_FOUND, log.apply(new KvCommand.Get("k")));
    assertEquals(KvResult.NOT_FOUND, machine.get("k"));
  }

  @Test
  void putThenGetReturnsTheValue() {
    assertEquals(KvResult.OK, log.apply(put("k", "v1")));
    assertValue("v1", log.apply(new KvCommand.Get("k")));
    assertValue("v1", machine.get("k"));
  }

  @Test
  void putReplacesTheValue() {
    log.apply(put("k", "v1"));
    assertEquals(KvResult.OK, log.apply(put("k", "v2")));
    assertValue("v2", machine.get("k"));
  }

  @Test
  void emptyValueIsAValueNotAMissingKey() {
    log.apply(put("k", ""));
    assertValue("", machine.get("k"));
  }

  @Test
  void appendToMissingKeyCreatesIt() {
    assertEquals(KvResult.OK, log.apply(append("k", "ab")));
    assertValue("ab", machine.get("k"));
  }

  @Test
  void appendConcatenates() {
    log.apply(put("k", "ab"));
    log.apply(append("k", "cd"));
    assertEquals(KvResult.OK, log.apply(append("k", "e")));
    assertValue("abcde", machine.get("k"));
  }

  @Test
  void deletePresentKeyIsOkAndRemovesIt() {
    log.apply(put("k", "v"));
    assertEquals(KvResult.OK, log.apply(delete("k")));
    assertEquals(KvResult.NOT_FOUND, machine.get("k"));
    assertEquals(0, machine.size());
  }

  @Test
  void deleteMissingKeyIsNotFound() {
    assertEquals(KvResult.NOT_FOUND, log.apply(delete("k")));
  }

  @Test
  void casExpectingMissingSucceedsOnMissingKey() {
    assertEquals(KvResult.OK, log.apply(cas("k", null, "v")));
    assertValue("v", machine.get("k"));
  }

  @Test
  void casExpectingMissingFailsOnPresentKeyWithItsValue() {
    log.apply(put("k", "v1"));
    assertEquals(new KvResult.CasMismatch(bytes("v1")), log.apply(cas("k", null, "v2")));
    assertValue("v1", machine.get("k"));
  }

  @Test
  void casExpectingPresentValueSucceedsWhenEqual() {
    log.apply(put("k", "v1"));
    assertEquals(KvResult.OK, log.apply(cas("k", "v1", "v2")));
    assertValue("v2", machine.get("k"));
  }

  @Test
  void casMismatchReturnsCurrentValueAndChangesNothing() {
    log.apply(put("k", "v1"));
    assertEquals(new KvResult.CasMismatch(bytes("v1")), log.apply(cas("k", "other", "v2")));
    assertValue("v1", machine.get("k"));
  }

  @Test
  void casExpectingValueOnMissingKeyReportsMissing() {
    KvResult result = log.apply(cas("k", "v1", "v2"));
    assertEquals(new KvResult.CasMismatch(null), result);
    assertEquals(null, ((KvResult.CasMismatch) result).current());
    assertEquals(KvResult.NOT_FOUND, machine.get("k"));
  }

  @Test
  void casExpectingEmptyValueDoesNotMatchMissingKey() {
    // "" and missing are different states: expected "" must not create the key.
    assertEquals(new KvResult.CasMismatch(null), log.apply(cas("k", "", "v")));
    log.apply(put("k", ""));
    assertEquals(KvResult.OK, log.apply(cas("k", "", "v")));
  }

  @Test
  void scanReturnsKeysWithThePrefixInOrder() {
    for (String key : List.of("b/2", "a/1", "b/10", "b/1", "c", "b", "b0")) {
      log.apply(put(key, "v-" + key));
    }
    KvResult.ScanResult scan = (KvResult.ScanResult) log.apply(new KvCommand.Scan("b/", 10));
    assertEquals(List.of("b/1", "b/10", "b/2"), keys(scan));
    assertEquals(new KvEntry("b/1", bytes("v-b/1"), KvTestSupport.created(4)), scan.entries().get(0));
    assertFalse(scan.truncated());
    assertEquals(scan, machine.scan("b/", 10));
  }

  @Test
  void scanWithEmptyPrefixReturnsEverythingInOrder() {
    for (String key : List.of("z", "a", "m", "é", "A")) {
      log.apply(put(key, "v"));
    }
    assertEquals(List.of("A", "a", "m", "z", "é"), keys(machine.scan("", 10)));
  }

  @Test
  void scanStopsAtTheLimitAndSaysSo() {
    for (String key : List.of("p1", "p2", "p3", "p4")) {
      log.apply(put(key, "v"));
    }
    KvResult.ScanResult page = machine.scan("p", 2);
    assertEquals(List.of("p1", "p2"), keys(page));
    assertTrue(page.truncated());
    KvResult.ScanResult exact = machine.scan("p", 4);
    assertEquals(4, exact.entries().size());
    assertFalse(exact.truncated(), "no fifth key matches");
  }

  @Test
  void scanOfUnmatchedPrefixIsEmpty() {
    log.apply(put("a", "v"));
    log.apply(put("c", "v"));
    KvResult.ScanResult scan = machine.scan("b", 5);
    assertEquals(List.of(), scan.entries());
    assertFalse(scan.truncated());
  }

  @Test
  void scanRefusesALimitBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> machine.scan("", 0));
  }

  @Test
  void applyRefusesAnIndexThatDoesNotGrow() {
    machine.apply(5, put("k", "v"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> machine.apply(5, put("k", "w")));
    assertTrue(e.getMessage().contains("last applied index 5"), e.getMessage());
    assertValue("v", machine.get("k"));
    assertEquals(5, machine.lastAppliedIndex());
  }

  @Test
  void applyRefusesAForeignCommand() {
    StateMachineCommand foreign = new StateMachineCommand() {};
    assertThrows(IllegalArgumentException.class, () -> machine.apply(1, foreign));
  }

  @Test
  void lastAppliedIndexFollowsTheLogIncludingGaps() {
    machine.apply(3, put("k", "v"));
    machine.apply(10, new KvCommand.Get("k"));
    assertEquals(10, machine.lastAppliedIndex());
  }

  @Test
  void callersCannotChangeStoredValues() {
    byte[] written = bytes("abc");
    log.apply(new KvCommand.Put(RequestId.UNTRACKED, "k", written));
    written[0] = 'X';
    byte[] read = ((KvResult.Value) machine.get("k")).value();
    read[1] = 'Y';
    machine.scan("", 1).entries().get(0).value()[2] = 'Z';
    assertArrayEquals(bytes("abc"), ((KvResult.Value) machine.get("k")).value());
  }

  @Test
  void readerOnAnotherThreadSeesWholeValuesOnly() throws Exception {
    // One writer appends "x" repeatedly while a reader reads: every value read must be all
    // 'x' and never shorter than the one read before (no torn or shrinking array).
    int appends = 5_000;
    KvTestSupport.Log log =
        new KvTestSupport.Log(
            new KvStateMachine(new KvLimits(64, appends, 100), KvTestSupport.ROOMY_SESSIONS));
    KvStateMachine machine = log.machine;
    String[] failure = new String[1];
    Thread reader =
        new Thread(
            () -> {
              int lastLength = 0;
              while (lastLength < appends) {
                KvResult result = machine.get("k");
                if (result instanceof KvResult.Value v) {
                  byte[] read = v.value();
                  for (byte b : read) {
                    if (b != 'x') {
                      failure[0] = "byte " + b + " in " + read.length;
                      return;
                    }
                  }
                  if (read.length < lastLength) {
                    failure[0] = "length went from " + lastLength + " to " + read.length;
                    return;
                  }
                  lastLength = read.length;
                }
              }
            });
    reader.start();
    for (int i = 0; i < appends; i++) {
      assertEquals(KvResult.OK, log.apply(append("k", "x")));
    }
    reader.join(30_000);
    assertFalse(reader.isAlive(), "reader did not see the last append within 30 s");
    assertEquals(null, failure[0]);
  }

  private static List<String> keys(KvResult.ScanResult scan) {
    return scan.entries().stream().map(KvEntry::key).toList();
  }
}
