package io.raftkv.persistence.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random command sequences, applied to {@link KvStateMachine} and to the
 * {@link KvReferenceModel}: every answer, and now and then the whole state, must agree. Halfway,
 * the machine is snapshotted and replaced by a fresh one restored from the snapshot.
 *
 * <p>Fixed seeds run every time, plus one new seed per run; a failure names its seed. Replay one
 * with {@code mvn -pl persistence verify -Draftkv.kv.seed=SEED -Dtest=KvStateMachineModelTest}.
 */
class KvStateMachineModelTest {

  private static final int STEPS = 4_000;
  /**
   * The quota, 64 bytes, is about a third of what the keys and values can hold (9 valid keys of
   * 31 UTF-8 bytes in all, values up to 16 bytes): the state crosses it again and again.
   */
  private static final long QUOTA_BYTES = 64;

  private static final KvLimits LIMITS = new KvLimits(12, 16, 8);
  /** Small, so that expiry and eviction happen often. */
  private static final SessionPolicy POLICY = new SessionPolicy(40, 4);
  /** Small, so that automatic compaction comes by count and by bytes, often. */
  private static final HistoryPolicy HISTORY = new HistoryPolicy(30, 160);
  /** Small, so that both lease bounds are reached. */
  private static final LeasePolicy LEASES = new LeasePolicy(3, 2);

  static Stream<Long> seeds() {
    String replay = System.getProperty("raftkv.kv.seed");
    if (replay != null) {
      return Stream.of(Long.parseLong(replay));
    }
    return Stream.concat(LongStream.rangeClosed(1, 12).boxed(), Stream.of(new Random().nextLong()));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void machineAgreesWithTheReferenceModel(long seed) {
    try {
      run(seed);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("failed with seed " + seed + ": " + e.getMessage(), e);
    }
  }

  private static void run(long seed) {
    Random random = new Random(seed);
    KvStateMachine machine = new KvStateMachine(LIMITS, POLICY, HISTORY, LEASES, QUOTA_BYTES, () -> {});
    KvReferenceModel model = new KvReferenceModel(LIMITS, POLICY, HISTORY, LEASES, QUOTA_BYTES);
    Counts seen = new Counts();
    long index = 0;
    for (int step = 0; step < STEPS; step++) {
      if (step == STEPS / 2) {
        KvStateMachine restored = new KvStateMachine(LIMITS, POLICY, HISTORY, LEASES, QUOTA_BYTES, () -> {});
        restored.restore(machine.snapshot());
        machine = restored;
        assertEquals(model.contents(), KvTestSupport.contents(machine), "contents after restore");
        assertEquals(model.sessions(), machine.sessions(), "sessions after restore");
        assertEquals(model.stateBytes(), machine.stateBytes(), "state bytes after restore");
        assertHistory(model, machine, "after restore");
      }
      // Gaps in the log (entries the machine does not see) must not matter.
      index += random.nextInt(10) == 0 ? 2 : 1;
      KvCommand command = nextCommand(random, model, index);
      KvResult expected = model.apply(index, command);
      KvResult actual = machine.apply(index, command);
      assertEquals(expected, actual, "step " + step + ", index " + index + ": " + command);
      seen.count(command, actual);
      if (step % 97 == 0 || step == STEPS - 1) {
        List<KvEntry> contents = model.contents();
        assertEquals(contents, KvTestSupport.contents(machine), "contents at " + step);
        assertEquals(model.sessions(), machine.sessions(), "sessions at " + step);
        assertEquals(contents.size(), machine.size(), "keys at " + step);
        assertEquals(
            KvPinnedSnapshotTest.stateBytes(contents), machine.stateBytes(), "bytes at " + step);
        assertHistory(model, machine, "at " + step);
      }
      assertEquals(model.stateBytes(), machine.stateBytes(), "state bytes at " + step);
    }
    seen.assertVariety();
  }

  /** The compacted revision and every change above it, as a watch from there would read them. */
  private static void assertHistory(KvReferenceModel model, KvStateMachine machine, String when) {
    assertEquals(model.compactedRevision(), machine.compactedRevision(), "compacted revision " + when);
    assertEquals(model.leases(), machine.leases(), "leases " + when);
    List<KvEvent> events = machine.changesFrom(machine.compactedRevision() + 1, Integer.MAX_VALUE)
        .orElseThrow().stream().flatMap(List::stream).toList();
    assertEquals(model.changesAboveCompacted(), events, "changes " + when);
    assertTrue(machine.changesFrom(Math.max(1, machine.compactedRevision()), 1).isEmpty()
        || machine.compactedRevision() == 0, "changes from the compacted revision are refused " + when);
  }

  private static final List<String> KEYS =
      List.of("a", "a/1", "a/2", "a/10", "b", "b/x", "é", "ab", "twelve-bytes", "thirteen-byte");
  private static final List<String> PREFIXES =
      List.of("", "a", "a/", "b", "c", "é", "thirteen-bytes");

  private static KvCommand nextCommand(Random random, KvReferenceModel model, long index) {
    int kind = random.nextInt(100);
    if (kind < 6) {
      return new KvCommand.RegisterSession();
    }
    if (kind < 16) {
      return new KvCommand.Get(key(random), revision(random, model, index));
    }
    if (kind < 22) {
      return new KvCommand.Scan(
          PREFIXES.get(random.nextInt(PREFIXES.size())),
          1 + random.nextInt(LIMITS.scanEntriesMax() + 1),
          revision(random, model, index));
    }
    if (kind < 24) {
      // Mostly just above the compacted revision; sometimes at or below it, or beyond the last entry.
      long compacted = model.compactedRevision();
      return new KvCommand.Compact(Math.max(1, compacted - 1 + random.nextInt(6)
          + (random.nextInt(10) == 0 ? (int) (index - compacted) : 0)));
    }
    if (kind < 34) {
      return txn(random, model, index);
    }
    if (kind < 40) {
      return leaseCommand(random, model, index);
    }
    RequestId id = requestId(random, model, index);
    String key = key(random);
    int write = random.nextInt(4);
    if (write == 0) {
      return new KvCommand.Put(id, key, value(random), random.nextInt(3) == 0 ? lease(random, model) : 0);
    } else if (write == 1) {
      return new KvCommand.Append(id, key, value(random));
    } else if (write == 2) {
      return new KvCommand.Delete(id, key);
    }
    // Expect what is there half the time, so that cas succeeds often enough to matter.
    byte[] expected;
    if (random.nextBoolean()) {
      List<KvEntry> current = model.contents().stream().filter(e -> e.key().equals(key)).toList();
      expected = current.isEmpty() ? null : current.get(0).value();
    } else {
      expected = random.nextBoolean() ? null : value(random);
    }
    return new KvCommand.CompareAndSet(id, key, expected, value(random));
  }

  /** A lease alive most of the time, else one that never was. */
  private static long lease(Random random, KvReferenceModel model) {
    List<Long> ids = model.leaseIds();
    return ids.isEmpty() || random.nextInt(8) == 0 ? 1 + random.nextInt(5000) : ids.get(random.nextInt(ids.size()));
  }

  /** Grants (tracked or not), keep-alives, revokes, and expiries that the lease's refresh index allows or not. */
  private static KvCommand leaseCommand(Random random, KvReferenceModel model, long index) {
    int kind = random.nextInt(10);
    if (kind < 3) {
      return new KvCommand.LeaseGrant(requestId(random, model, index), 2 + random.nextInt(100));
    }
    long id = lease(random, model);
    if (kind < 6) {
      return new KvCommand.LeaseKeepAlive(id);
    }
    if (kind < 8) {
      return new KvCommand.LeaseRevoke(id);
    }
    long refreshed = model.refreshIndex(id);
    return new KvCommand.LeaseExpire(id, random.nextBoolean() ? refreshed : refreshed + 1);
  }

  /** Newest half the time; else around the compacted revision or anywhere up to the entry before. */
  private static long revision(Random random, KvReferenceModel model, long index) {
    if (random.nextBoolean()) {
      return KvCommand.NEWEST;
    }
    long compacted = model.compactedRevision();
    return random.nextInt(4) == 0
        ? Math.max(1, compacted - 2 + random.nextInt(4))
        : 1 + (long) (random.nextDouble() * index);
  }

  /** Comparisons that hold about half the time, and branches of puts, deletes and gets. */
  private static KvCommand.Txn txn(Random random, KvReferenceModel model, long index) {
    List<TxnCompare> compares = new java.util.ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      String key = key(random);
      KvEntry current = model.contents().stream().filter(e -> e.key().equals(key)).findFirst().orElse(null);
      TxnCompare.Op op = TxnCompare.Op.values()[random.nextInt(4)];
      switch (random.nextInt(4)) {
        case 0 -> compares.add(TxnCompare.value(key, op,
            current != null && random.nextBoolean() ? current.value() : value(random)));
        case 1 -> compares.add(TxnCompare.number(key, TxnCompare.Target.VERSION, op,
            current != null && random.nextBoolean() ? current.revisions().version() : random.nextInt(3)));
        case 2 -> compares.add(TxnCompare.number(key, TxnCompare.Target.CREATE, op,
            current != null && random.nextBoolean() ? current.revisions().createRevision() : random.nextInt((int) index)));
        default -> compares.add(TxnCompare.number(key, TxnCompare.Target.MOD, op,
            current != null && random.nextBoolean() ? current.revisions().modRevision() : random.nextInt((int) index)));
      }
    }
    return new KvCommand.Txn(requestId(random, model, index), compares, branch(random, model), branch(random, model));
  }

  private static List<TxnOp> branch(Random random, KvReferenceModel model) {
    List<TxnOp> ops = new java.util.ArrayList<>();
    Set<String> written = new HashSet<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      String key = key(random);
      int kind = random.nextInt(3);
      if (kind == 0) {
        ops.add(new TxnOp.Get(key));
      } else if (written.add(key)) {
        ops.add(kind == 1 ? new TxnOp.Put(key, value(random), random.nextInt(4) == 0 ? lease(random, model) : 0)
            : new TxnOp.Delete(key));
      }
    }
    return ops;
  }

  /** Untracked, a live session's next write, a retry, a stale one, or an expired/unknown id. */
  private static RequestId requestId(Random random, KvReferenceModel model, long index) {
    List<Long> live = model.clientIds();
    int kind = random.nextInt(20);
    if (kind < 3 || index < 2) {
      return RequestId.UNTRACKED;
    }
    if (kind < 5 || live.isEmpty()) {
      return RequestId.of(1 + random.nextInt((int) Math.min(index - 1, Integer.MAX_VALUE - 1)), 1);
    }
    long client = live.get(random.nextInt(live.size()));
    long last = model.lastSequence(client);
    if (kind < 8 && last > 0) {
      return RequestId.of(client, last);
    }
    if (kind < 10 && last > 1) {
      return RequestId.of(client, 1 + random.nextInt((int) last - 1));
    }
    return RequestId.of(client, last + 1 + (random.nextInt(8) == 0 ? random.nextInt(3) : 0));
  }

  private static String key(Random random) {
    return KEYS.get(random.nextInt(KEYS.size()));
  }

  /** Mostly small, sometimes over valueBytesMax; appends reach the limit too. */
  private static byte[] value(Random random) {
    byte[] value =
        new byte[random.nextInt(20) == 0 ? LIMITS.valueBytesMax() + 1 : random.nextInt(8)];
    random.nextBytes(value);
    return value;
  }

  /** Makes sure a run reaches the interesting answers, or the comparison proves little. */
  private static final class Counts {
    private static final String APPEND_PAST_LIMIT = "an append growing a value past the limit";
    private final Set<String> seen = new HashSet<>();

    void count(KvCommand command, KvResult result) {
      seen.add(result.getClass().getSimpleName());
      if (command instanceof KvCommand.Append a
          && result instanceof KvResult.LimitExceeded
          && a.value().length <= LIMITS.valueBytesMax()) {
        seen.add(APPEND_PAST_LIMIT);
      }
    }

    void assertVariety() {
      for (Class<?> kind : KvResult.class.getPermittedSubclasses()) {
        String name = kind.getSimpleName();
        assertTrue(seen.contains(name), "no " + name + " in the run");
      }
      assertTrue(seen.contains(APPEND_PAST_LIMIT), "no " + APPEND_PAST_LIMIT + " in the run");
    }
  }
}
