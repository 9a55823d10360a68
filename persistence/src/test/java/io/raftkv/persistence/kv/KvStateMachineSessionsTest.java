package io.raftkv.persistence.kv;

import static io.raftkv.persistence.kv.KvTestSupport.bytes;
import static io.raftkv.persistence.kv.KvTestSupport.assertValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Client sessions: exactly-once writes, stale sequences, and the expiry and eviction rule. */
class KvStateMachineSessionsTest {

  @Test
  void registrationTakesItsLogIndexAsClientId() {
    KvStateMachine machine = new KvStateMachine(KvTestSupport.LIMITS, KvTestSupport.ROOMY_SESSIONS);
    KvCommand register = new KvCommand.RegisterSession();
    assertEquals(new KvResult.SessionRegistered(4), machine.apply(4, register));
    assertEquals(new KvResult.SessionRegistered(9), machine.apply(9, register));
    assertEquals(
        List.of(new ClientSession(4, 0, null, 4), new ClientSession(9, 0, null, 9)),
        machine.sessions());
  }

  @Test
  void aRetriedWriteIsAppliedOnceAndAnsweredTheSame() {
    KvTestSupport.Log log = new KvTestSupport.Log();
    long client = log.register();
    KvCommand.Append append = new KvCommand.Append(RequestId.of(client, 1), "k", bytes("x"));
    assertEquals(KvResult.OK, log.apply(append));
    assertEquals(KvResult.OK, log.apply(append));
    assertEquals(KvResult.OK, log.apply(append));
    assertValue("x", log.machine.get("k"));
    assertEquals(List.of(new ClientSession(client, 1, KvResult.OK, 4)), log.machine.sessions());
  }

  @Test
  void aRetryGetsTheKeptResultEvenWhenTheStateHasChangedSince() {
    KvTestSupport.Log log = new KvTestSupport.Log();
    long client = log.register();
    KvCommand.CompareAndSet cas =
        new KvCommand.CompareAndSet(RequestId.of(client, 1), "k", bytes("old"), bytes("new"));
    assertEquals(new KvResult.CasMismatch(null), log.apply(cas));
    log.apply(KvTestSupport.put("k", "old"));
    // Were the retry applied again it would now succeed: it must not.
    assertEquals(new KvResult.CasMismatch(null), log.apply(cas));
    assertValue("old", log.machine.get("k"));

    KvCommand.Delete delete = new KvCommand.Delete(RequestId.of(client, 2), "k");
    assertEquals(KvResult.OK, log.apply(delete));
    log.apply(KvTestSupport.put("k", "again"));
    assertEquals(KvResult.OK, log.apply(delete));
    assertValue("again", log.machine.get("k"));
  }

  @Test
  void anOlderSequenceIsStaleAndNotApplied() {
    KvTestSupport.Log log = new KvTestSupport.Log();
    long client = log.register();
    log.apply(new KvCommand.Put(RequestId.of(client, 1), "k", bytes("one")));
    log.apply(new KvCommand.Put(RequestId.of(client, 2), "k", bytes("two")));
    assertEquals(
        new KvResult.StaleRequest(client, 1, 2),
        log.apply(new KvCommand.Put(RequestId.of(client, 1), "k", bytes("one"))));
    assertValue("two", log.machine.get("k"));
    assertEquals(2, log.machine.sessions().get(0).lastSequence());
  }

  @Test
  void sequencesMayHaveGaps() {
    KvTestSupport.Log log = new KvTestSupport.Log();
    long client = log.register();
    log.apply(new KvCommand.Append(RequestId.of(client, 1), "k", bytes("a")));
    assertEquals(
        KvResult.OK, log.apply(new KvCommand.Append(RequestId.of(client, 5), "k", bytes("b"))));
    assertValue("ab", log.machine.get("k"));
  }

  @Test
  void aRefusedWriteConsumesItsSequenceAndItsRetryIsRefusedAlike() {
    KvTestSupport.Log log = new KvTestSupport.Log();
    long client = log.register();
    KvCommand.Put tooBig = new KvCommand.Put(RequestId.of(client, 1), "k", new byte[257]);
    KvResult refused = new KvResult.LimitExceeded("valueBytesMax", 257, 256);
    assertEquals(refused, log.apply(tooBig));
    assertEquals(refused, log.apply(tooBig));
    assertEquals(KvResult.NOT_FOUND, log.machine.get("k"));
  }

  @Test
  void anUnknownClientIdIsAnExpiredSessionAndNothingIsApplied() {
    KvTestSupport.Log log = new KvTestSupport.Log();
    log.advance(5);
    assertEquals(
        new KvResult.SessionExpired(3),
        log.apply(new KvCommand.Put(RequestId.of(3, 1), "k", bytes("v"))));
    assertEquals(KvResult.NOT_FOUND, log.machine.get("k"));
    assertEquals(List.of(), log.machine.sessions(), "no session is created by a write");
  }

  @Test
  void untrackedWritesAreAppliedEveryTime() {
    KvTestSupport.Log log = new KvTestSupport.Log();
    KvCommand.Append append = KvTestSupport.append("k", "x");
    log.apply(append);
    log.apply(append);
    assertValue("xx", log.machine.get("k"));
  }

  @Test
  void aSessionUnusedForMoreThanExpiryEntriesIsDropped() {
    KvStateMachine machine = new KvStateMachine(KvTestSupport.LIMITS, new SessionPolicy(3, 10));
    machine.apply(1, new KvCommand.RegisterSession());
    machine.apply(2, new KvCommand.RegisterSession());
    // 4 - 1 = 3 indexes since its last use, not more than 3: session 1 is kept, now used at 4.
    assertEquals(KvResult.OK, machine.apply(4, write(1, 1)));
    machine.apply(5, new KvCommand.Get("k")); // 5 - 2 = 3: session 2 still kept
    assertEquals(List.of(1L, 2L), clientIds(machine));
    // 6 - 2 = 4 > 3: session 2 is dropped before the entry is applied.
    assertEquals(new KvResult.SessionExpired(2), machine.apply(6, write(2, 1)));
    assertEquals(List.of(1L), clientIds(machine));
    machine.apply(7, new KvCommand.Get("k")); // 7 - 4 = 3
    assertEquals(List.of(1L), clientIds(machine));
    machine.apply(8, new KvCommand.Get("k")); // 8 - 4 = 4 > 3
    assertEquals(List.of(), clientIds(machine));
  }

  @Test
  void expiryCountsLogIndexesSoGapsCount() {
    // Entries the machine never sees (a leader's no-op, say) still count: index, not calls.
    KvStateMachine machine = new KvStateMachine(KvTestSupport.LIMITS, new SessionPolicy(3, 10));
    machine.apply(1, new KvCommand.RegisterSession());
    assertEquals(new KvResult.SessionExpired(1), machine.apply(5, write(1, 1)));
  }

  @Test
  void retriesAndStaleWritesKeepASessionAliveButReadsDoNot() {
    KvStateMachine machine = new KvStateMachine(KvTestSupport.LIMITS, new SessionPolicy(2, 10));
    machine.apply(1, new KvCommand.RegisterSession());
    machine.apply(2, write(1, 2));
    machine.apply(3, write(1, 2)); // a retry
    assertEquals(new KvResult.StaleRequest(1, 1, 2), machine.apply(4, write(1, 1)));
    assertEquals(4, machine.sessions().get(0).lastUsedIndex());
    machine.apply(5, new KvCommand.Get("k"));
    machine.apply(6, new KvCommand.Scan("", 1)); // 6 - 4 = 2: kept
    assertEquals(List.of(1L), clientIds(machine));
    // 7 - 4 = 3 > 2: the two reads did not keep it alive.
    assertEquals(new KvResult.SessionExpired(1), machine.apply(7, write(1, 3)));
  }

  @Test
  void registeringBeyondSessionsMaxEvictsTheLeastRecentlyUsed() {
    KvTestSupport.Log log =
        new KvTestSupport.Log(
            new KvStateMachine(KvTestSupport.LIMITS, new SessionPolicy(1_000, 2)));
    long a = log.register(); // 1
    long b = log.register(); // 2
    log.apply(write(a, 1)); // 3: a is now the most recent
    long c = log.register(); // 4: evicts b
    assertEquals(List.of(a, c), clientIds(log.machine));
    assertEquals(new KvResult.SessionExpired(b), log.apply(write(b, 1)));
    long d = log.register(); // 6: evicts a (used at 3) before c (4)
    assertEquals(List.of(c, d), clientIds(log.machine));
  }

  @Test
  void evictionTiesAreBrokenByTheSmallerClientId() {
    // Equal last uses cannot arise from the log (one entry touches one session); a hand-made
    // snapshot can hold them, and the order must still not depend on hashing.
    KvStateMachine machine = new KvStateMachine(KvTestSupport.LIMITS, new SessionPolicy(100, 2));
    machine.restore(
        KvTestSupport.snapshotBytes(
            10,
            new TreeMap<>(),
            List.of(new ClientSession(7, 0, null, 8), new ClientSession(3, 0, null, 8))));
    machine.apply(11, new KvCommand.RegisterSession());
    assertEquals(List.of(7L, 11L), clientIds(machine));
  }

  @Test
  void theSameCommandsGiveTheSameEvictionsAndResults() {
    long seed = new Random().nextLong();
    List<KvCommand> commands = sessionHeavyCommands(new Random(seed), 3_000);
    List<String> first = run(commands);
    List<String> second = run(commands);
    assertEquals(first, second, "seed " + seed);
  }

  /** Results and surviving sessions after each command, as text. */
  private static List<String> run(List<KvCommand> commands) {
    KvTestSupport.Log log =
        new KvTestSupport.Log(new KvStateMachine(KvTestSupport.LIMITS, new SessionPolicy(20, 4)));
    List<String> trace = new ArrayList<>();
    for (KvCommand command : commands) {
      trace.add(log.apply(command) + " " + clientIds(log.machine));
    }
    return trace;
  }

  /** Registrations and writes naming recent indexes as client ids, many of them sessions. */
  private static List<KvCommand> sessionHeavyCommands(Random random, int count) {
    List<KvCommand> commands = new ArrayList<>();
    for (int index = 1; index <= count; index++) {
      if (index < 3 || random.nextInt(4) == 0) {
        commands.add(new KvCommand.RegisterSession());
      } else {
        long client = 1 + random.nextInt(index - 1);
        commands.add(
            new KvCommand.Append(
                RequestId.of(client, 1 + random.nextInt(5)), "k" + random.nextInt(3), bytes("x")));
      }
    }
    return commands;
  }

  private static KvCommand write(long client, long sequence) {
    return new KvCommand.Put(RequestId.of(client, sequence), "k", bytes("v" + sequence));
  }

  private static List<Long> clientIds(KvStateMachine machine) {
    return machine.sessions().stream().map(ClientSession::clientId).toList();
  }
}
