package io.raftkv.persistence.kv;

import static io.raftkv.persistence.kv.KvTestSupport.bytes;
import static io.raftkv.persistence.kv.KvTestSupport.created;
import static io.raftkv.persistence.kv.KvTestSupport.delete;
import static io.raftkv.persistence.kv.KvTestSupport.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Revisions, reads at a past revision, compaction and transactions, case by case; the random
 * comparison with the reference model is {@link KvStateMachineModelTest}. The cases at size use
 * values at the default limit, 1.5 MiB.
 */
class KvStateMachineRevisionsTest {

  private static final int VALUE_BYTES_MAX = 1536 * 1024;
  private static final KvLimits AT_SIZE = new KvLimits(1024, VALUE_BYTES_MAX, 1000);

  @Test
  void everyKeyCarriesItsCreateRevisionModRevisionAndVersion() {
    KvTestSupport.Log log = new KvTestSupport.Log();
    log.apply(put("k", "a")); // 1
    log.apply(put("other", "x")); // 2
    log.apply(put("k", "b")); // 3
    assertEquals(new KvResult.Value(bytes("b"), new KeyRevisions(1, 3, 2)), log.machine.get("k"));
    log.apply(delete("k")); // 4
    log.apply(put("k", "c")); // 5: created again, version 1
    assertEquals(new KvResult.Value(bytes("c"), created(5)), log.machine.get("k"));
    log.apply(KvTestSupport.append("k", "d")); // 6
    assertEquals(new KvResult.Value(bytes("cd"), new KeyRevisions(5, 6, 2)), log.machine.get("k"));
  }

  @Test
  void aReadAtAPastRevisionSeesTheValueThenUntilItIsCompacted() {
    KvTestSupport.Log log = new KvTestSupport.Log();
    log.apply(put("k", "a")); // 1
    log.apply(put("k", "b")); // 2
    log.apply(delete("k")); // 3
    log.apply(put("k", "c")); // 4
    assertEquals(new KvResult.Value(bytes("a"), created(1)), log.machine.get("k", 1));
    assertEquals(new KvResult.Value(bytes("b"), new KeyRevisions(1, 2, 2)), log.machine.get("k", 2));
    assertEquals(KvResult.NOT_FOUND, log.machine.get("k", 3));
    assertEquals(new KvResult.Value(bytes("c"), created(4)), log.machine.get("k", 4));
    assertEquals(log.machine.get("k"), log.machine.get("k", 99), "after the last: the newest");
    assertEquals(new KvResult.ScanResult(List.of(new KvEntry("k", bytes("a"), created(1))), false),
        log.apply(new KvCommand.Scan("", 10, 1)));

    assertEquals(KvResult.OK, log.apply(new KvCommand.Compact(3))); // 5
    assertEquals(3, log.machine.compactedRevision());
    assertEquals(new KvResult.Compacted(2, 3), log.machine.get("k", 2));
    assertEquals(new KvResult.Compacted(1, 3), log.apply(new KvCommand.Scan("", 10, 1)));
    assertEquals(KvResult.NOT_FOUND, log.machine.get("k", 3), "the compacted revision itself is kept");
    assertEquals(new KvResult.Value(bytes("c"), created(4)), log.machine.get("k", 4));
    assertEquals(new KvResult.Compacted(3, 3), log.apply(new KvCommand.Compact(3)));
    assertEquals(new KvResult.FutureRevision(99, 8), log.apply(new KvCommand.Compact(99))); // index 9
  }

  @Test
  void changesAreListedByRevisionAndAllOfATransactionAtOnce() {
    KvTestSupport.Log log = new KvTestSupport.Log();
    log.apply(put("a", "1")); // 1
    log.apply(new KvCommand.Txn(RequestId.UNTRACKED, List.of(),
        List.of(new TxnOp.Put("z", bytes("2")), new TxnOp.Delete("a"), new TxnOp.Put("m", bytes("3"))),
        List.of())); // 2
    List<List<KvEvent>> changes = log.machine.changesFrom(1, 10).orElseThrow();
    assertEquals(2, changes.size());
    assertEquals(List.of(new KvEvent(KvEvent.Type.PUT, "a", bytes("1"), created(1))), changes.get(0));
    assertEquals(List.of(
            new KvEvent(KvEvent.Type.DELETE, "a", null, new KeyRevisions(0, 2, 0)),
            new KvEvent(KvEvent.Type.PUT, "m", bytes("3"), created(2)),
            new KvEvent(KvEvent.Type.PUT, "z", bytes("2"), created(2))),
        changes.get(1), "one revision, in key order");
    assertEquals(1, log.machine.changesFrom(2, 10).orElseThrow().size());
    assertEquals(1, log.machine.changesFrom(1, 1).orElseThrow().size(), "at most revisionsMax");
    log.apply(new KvCommand.Compact(1));
    assertTrue(log.machine.changesFrom(1, 10).isEmpty(), "from a compacted revision: refused");
    assertEquals(1, log.machine.changesFrom(2, 10).orElseThrow().size());
  }

  @Test
  void aTransactionMovesAValueAtTheLimitBetweenTwoKeysAtomically() {
    KvTestSupport.Log log = new KvTestSupport.Log(new KvStateMachine(AT_SIZE, KvTestSupport.ROOMY_SESSIONS));
    byte[] big = new byte[VALUE_BYTES_MAX];
    Arrays.fill(big, (byte) 7);
    log.apply(new KvCommand.Put(RequestId.UNTRACKED, "from", big)); // 1
    KvCommand.Txn move = new KvCommand.Txn(RequestId.UNTRACKED,
        List.of(TxnCompare.number("from", TxnCompare.Target.MOD, TxnCompare.Op.EQUAL, 1),
            TxnCompare.number("to", TxnCompare.Target.VERSION, TxnCompare.Op.EQUAL, 0)),
        List.of(new TxnOp.Put("to", big), new TxnOp.Delete("from")),
        List.of(new TxnOp.Get("from"), new TxnOp.Get("to")));
    assertEquals(java.util.Optional.empty(), AT_SIZE.validate(move), "fits the size of a cas");
    assertEquals(new KvResult.TxnResult(true, List.of(KvResult.OK, KvResult.OK)), log.apply(move)); // 2
    assertEquals(KvResult.NOT_FOUND, log.machine.get("from"));
    KvResult.Value moved = (KvResult.Value) log.machine.get("to");
    assertArrayEquals(big, moved.value());
    assertEquals(created(2), moved.revisions());
    assertEquals(1, log.machine.size());

    // Again: the comparisons fail now, so the other branch reads both keys (one missing).
    KvResult.TxnResult again = (KvResult.TxnResult) log.apply(move); // 3
    assertEquals(false, again.succeeded());
    assertEquals(KvResult.NOT_FOUND, again.results().get(0));
    assertArrayEquals(big, ((KvResult.Value) again.results().get(1)).value());
  }

  @Test
  void transactionsAreBoundedInOperationsBytesAndAnswer() {
    byte[] big = new byte[VALUE_BYTES_MAX];
    List<TxnOp> threeBig = List.of(new TxnOp.Put("a", big), new TxnOp.Put("b", big), new TxnOp.Put("c", big));
    KvResult.LimitExceeded bytes = AT_SIZE.validate(
        new KvCommand.Txn(RequestId.UNTRACKED, List.of(), threeBig, List.of())).orElseThrow();
    assertEquals(KvLimits.TXN_BYTES_MAX, bytes.limit());
    assertTrue(bytes.message().contains("over txnBytesMax"), bytes.message());

    List<TxnOp> many = new java.util.ArrayList<>();
    for (int i = 0; i <= KvLimits.TXN_OPS_PER_LIST_MAX; i++) {
      many.add(new TxnOp.Get("k" + i));
    }
    assertEquals(new KvResult.LimitExceeded(KvLimits.TXN_OPS_MAX, 129, 128), AT_SIZE.validate(
        new KvCommand.Txn(RequestId.UNTRACKED, List.of(), List.of(), many)).orElseThrow());

    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> new KvCommand.Txn(RequestId.UNTRACKED, List.of(), List.of(),
            List.of(new TxnOp.Put("k", big), new TxnOp.Delete("k"))));
    assertEquals("the failure branch writes key 'k' twice", twice.getMessage());

    // Reads of three values at the limit pass the scan budget (4 MiB): refused whole, nothing changed.
    KvTestSupport.Log log = new KvTestSupport.Log(new KvStateMachine(AT_SIZE, KvTestSupport.ROOMY_SESSIONS));
    for (String key : List.of("a", "b", "c")) {
      log.apply(new KvCommand.Put(RequestId.UNTRACKED, key, big));
    }
    KvResult refused = log.apply(new KvCommand.Txn(RequestId.UNTRACKED, List.of(),
        List.of(new TxnOp.Get("a"), new TxnOp.Put("d", bytes("new")), new TxnOp.Get("b"), new TxnOp.Get("c")),
        List.of()));
    assertEquals(KvLimits.TXN_ANSWER_BYTES_MAX, assertInstanceOf(KvResult.LimitExceeded.class, refused).limit());
    assertEquals(KvResult.NOT_FOUND, log.machine.get("d"), "nothing of a refused transaction is applied");
  }

  @Test
  void historyOfValuesAtTheLimitStaysWithinItsBytes() {
    HistoryPolicy policy = new HistoryPolicy(1_000, 8L * (2 + VALUE_BYTES_MAX)); // 8 changes of a 2-byte key
    KvTestSupport.Log log = new KvTestSupport.Log(new KvStateMachine(
        AT_SIZE, KvTestSupport.ROOMY_SESSIONS, policy, KvStateMachine.QUOTA_BYTES_NONE));
    for (int i = 0; i < 40; i++) { // 60 MiB written to 3 keys, over and over
      byte[] value = new byte[VALUE_BYTES_MAX];
      Arrays.fill(value, (byte) i);
      log.apply(new KvCommand.Put(RequestId.UNTRACKED, "k" + (i % 3), value));
      assertTrue(log.machine.historyBytes() <= policy.bytesMax(), "after write " + i);
    }
    long compacted = log.machine.compactedRevision();
    assertEquals(40 - 8, compacted, "the 8 newest revisions fit");
    assertEquals(8, log.machine.historyRevisions());
    assertInstanceOf(KvResult.Compacted.class, log.machine.get("k0", compacted - 1));
    // At the compacted revision, each key still reads the value it had then.
    byte[] atCompacted = ((KvResult.Value) log.machine.get("k" + ((compacted - 1) % 3), compacted)).value();
    assertEquals((byte) (compacted - 1), atCompacted[VALUE_BYTES_MAX - 1]);
    // The store keeps the 8 versions above it and each key's version at it, no more.
    assertEquals(8 + 3, log.machine.store().versionCount());
  }
}
