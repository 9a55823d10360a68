package io.raftkv.persistence.kv;

import static io.raftkv.persistence.kv.KvTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.statemachine.SnapshotWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Leases, case by case: keys attached by puts, deleted together at one revision by a revoke or an
 * expiry, an expiry that a keep-alive overtook, the bounds, and leases through snapshots (a pinned
 * one writes the leases as they were at the pin). The random comparison is
 * {@link KvStateMachineModelTest}.
 */
class KvStateMachineLeasesTest {

  private static KvTestSupport.Log log(LeasePolicy policy) {
    return new KvTestSupport.Log(new KvStateMachine(KvTestSupport.LIMITS, KvTestSupport.ROOMY_SESSIONS, HistoryPolicy.DEFAULT, policy,
        KvStateMachine.QUOTA_BYTES_NONE, () -> {}));
  }

  private static KvCommand.Put put(String key, String value, long lease) {
    return new KvCommand.Put(RequestId.UNTRACKED, key, bytes(value), lease);
  }

  @Test
  void aRevokeDeletesEveryKeyOfItsLeaseAtOneRevision() {
    KvTestSupport.Log log = log(LeasePolicy.DEFAULT);
    long lease = ((KvResult.LeaseGranted) log.apply(new KvCommand.LeaseGrant(RequestId.UNTRACKED, 10))).id(); // 1
    assertEquals(1, lease, "the id is the grant's index");
    log.apply(put("a", "1", lease)); // 2
    log.apply(put("b", "2", lease)); // 3
    log.apply(put("c", "3", 0)); // 4
    log.apply(put("b", "2'", 0)); // 5: b leaves the lease
    assertEquals(KvResult.OK, log.apply(new KvCommand.LeaseRevoke(lease))); // 6
    assertEquals(KvResult.NOT_FOUND, log.machine.get("a"));
    assertTrue(log.machine.get("b") instanceof KvResult.Value, "b was put without the lease since");
    assertEquals(List.of(List.of(new KvEvent(KvEvent.Type.DELETE, "a", null, new KeyRevisions(0, 6, 0)))),
        log.machine.changesFrom(6, 10).orElseThrow());
    assertEquals(new KvResult.LeaseNotFound(lease), log.apply(new KvCommand.LeaseRevoke(lease)));
    assertEquals(new KvResult.LeaseNotFound(lease), log.apply(put("d", "4", lease)), "no put to a lease that is gone");
    assertEquals(List.of(), log.machine.leases());
  }

  @Test
  void anExpiryOvertakenByAKeepAliveLeavesTheLeaseAlive() {
    KvTestSupport.Log log = log(LeasePolicy.DEFAULT);
    log.apply(new KvCommand.LeaseGrant(RequestId.UNTRACKED, 5)); // 1
    log.apply(put("k", "v", 1)); // 2
    assertEquals(new KvResult.LeaseGranted(1, 5), log.apply(new KvCommand.LeaseKeepAlive(1))); // 3
    assertEquals(List.of(new KvLease(1, 5, 3)), log.machine.leases());
    // The leader decided from the grant (refresh 1); the keep-alive at 3 came first: nothing happens.
    assertEquals(new KvResult.LeaseGranted(1, 5), log.apply(new KvCommand.LeaseExpire(1, 1)));
    assertTrue(log.machine.get("k") instanceof KvResult.Value);
    assertEquals(KvResult.OK, log.apply(new KvCommand.LeaseExpire(1, 3)));
    assertEquals(KvResult.NOT_FOUND, log.machine.get("k"));
  }

  @Test
  void leasesAreBounded() {
    KvTestSupport.Log log = log(new LeasePolicy(2, 2));
    log.apply(new KvCommand.LeaseGrant(RequestId.UNTRACKED, 5)); // 1
    log.apply(new KvCommand.LeaseGrant(RequestId.UNTRACKED, 5)); // 2
    assertEquals(new KvResult.LimitExceeded(LeasePolicy.LEASES_MAX, 3, 2), log.apply(new KvCommand.LeaseGrant(RequestId.UNTRACKED, 5)));
    log.apply(put("a", "1", 1));
    log.apply(put("b", "1", 1));
    assertEquals(KvResult.OK, log.apply(put("b", "2", 1)), "b is attached already");
    assertEquals(new KvResult.LimitExceeded(LeasePolicy.KEYS_PER_LEASE_MAX, 3, 2), log.apply(put("c", "1", 1)));
    assertThrows(IllegalArgumentException.class, () -> new KvCommand.LeaseGrant(RequestId.UNTRACKED, 1), "below 2 s");
  }

  @Test
  void leasesGoThroughSnapshotsAsOfThePin() throws Exception {
    KvTestSupport.Log log = log(LeasePolicy.DEFAULT);
    log.apply(new KvCommand.LeaseGrant(RequestId.UNTRACKED, 7)); // 1
    log.apply(put("k", "v", 1)); // 2
    SnapshotWriter writer = log.machine.pinSnapshot();
    log.apply(new KvCommand.LeaseKeepAlive(1)); // 3: after the pin
    log.apply(new KvCommand.LeaseGrant(RequestId.UNTRACKED, 9)); // 4
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(out);
    log.machine.releaseSnapshot();

    KvTestSupport.Log restored = log(LeasePolicy.DEFAULT);
    restored.machine.restore(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(List.of(new KvLease(1, 7, 1)), restored.machine.leases(), "as at the pin");
    restored.nextIndex = 3;
    assertEquals(KvResult.OK, restored.apply(new KvCommand.LeaseRevoke(1)));
    assertEquals(KvResult.NOT_FOUND, restored.machine.get("k"), "the restored key was attached to its lease");

    KvStateMachine whole = new KvStateMachine(KvTestSupport.LIMITS, KvTestSupport.ROOMY_SESSIONS);
    whole.restore(log.machine.snapshot());
    assertEquals(List.of(new KvLease(1, 7, 3), new KvLease(4, 9, 4)), whole.leases());
  }
}
