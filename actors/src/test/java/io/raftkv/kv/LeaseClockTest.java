package io.raftkv.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvLease;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lease clock in ticks (10 per second): runs out a TTL after the refresh it saw, a keep-alive restarts it. */
class LeaseClockTest {
  private static final long TICKS_PER_SECOND = 10;

  @Test
  void aLeaseRunsOutItsTtlAfterTheRefreshWasFirstSeen() {
    LeaseClock clock = new LeaseClock(TICKS_PER_SECOND, 5);
    KvLease granted = new KvLease(7, 2, 7);
    assertEquals(List.of(), clock.observe(List.of(granted), 100)); // first seen at tick 100
    assertEquals(List.of(), clock.observe(List.of(granted), 119));
    assertEquals(1, clock.remaining(granted, 119));
    assertEquals(List.of(new KvCommand.LeaseExpire(7, 7)), clock.observe(List.of(granted), 120));
    assertEquals(List.of(), clock.observe(List.of(granted), 121), "proposed already");
    assertEquals(List.of(new KvCommand.LeaseExpire(7, 7)), clock.observe(List.of(granted), 125), "again, the proposal may be lost");
    assertEquals(List.of(), clock.observe(List.of(), 126), "gone: forgotten");
  }

  @Test
  void aKeepAliveRestartsTheCountFromWhenItIsSeen() {
    LeaseClock clock = new LeaseClock(TICKS_PER_SECOND, 5);
    clock.observe(List.of(new KvLease(7, 2, 7)), 100);
    KvLease kept = new KvLease(7, 2, 30);
    assertEquals(List.of(), clock.observe(List.of(kept), 115)); // kept alive, seen at 115
    assertEquals(List.of(), clock.observe(List.of(kept), 134));
    assertEquals(List.of(new KvCommand.LeaseExpire(7, 30)), clock.observe(List.of(kept), 135));
  }
}
