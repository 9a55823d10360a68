package io.raftkv.profiling.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class AreaSharesTest {

  private static AreaShare share(List<AreaShare> shares, Area area) {
    return shares.stream().filter(s -> s.area() == area).findFirst().orElseThrow();
  }

  @Test
  void raftkvsAreasAreSharesOfItsOwnSamplesAndTheJvmRuntimeOfAll() {
    AreaShares areas = new AreaShares();
    for (int i = 0; i < 6; i++) areas.add(Area.JVM_RUNTIME);
    for (int i = 0; i < 3; i++) areas.add(Area.RAFT_STATE_MACHINE);
    areas.add(Area.OTHER);
    List<AreaShare> shares = areas.shares(10);

    assertEquals(Area.values().length, shares.size());
    AreaShare jvm = share(shares, Area.JVM_RUNTIME);
    assertEquals(60.0, jvm.percent());
    assertNull(jvm.ownPercent());
    AreaShare raft = share(shares, Area.RAFT_STATE_MACHINE);
    assertEquals(30.0, raft.percent());
    assertEquals(75.0, raft.ownPercent()); // 3 of raftkv's 4
    assertEquals(25.0, share(shares, Area.OTHER).ownPercent());
    assertEquals(0.0, share(shares, Area.CONCURRENCY).ownPercent());
  }

  @Test
  void withNoOwnSamplesTheOwnSharesAreZero() {
    AreaShares areas = new AreaShares();
    areas.add(Area.JVM_RUNTIME);
    List<AreaShare> shares = areas.shares(1);
    assertEquals(100.0, share(shares, Area.JVM_RUNTIME).percent());
    assertEquals(0.0, share(shares, Area.OTHER).ownPercent());
  }
}
