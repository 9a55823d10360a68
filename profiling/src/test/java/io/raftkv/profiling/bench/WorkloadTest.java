package io.raftkv.profiling.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  @Test
  void namesRoundTripThroughParse() {
    for (Workload w : Workload.DEFAULTS) assertEquals(w, Workload.parse(w.name()));
    assertEquals(List.of("put@1", "put@16", "put@64", "get@1", "get@64", "mixed@64"), Workload.DEFAULTS.stream().map(Workload::name).toList());
  }

  @Test
  void theMixIsTheSeeds() {
    assertEquals(100, Workload.Kind.PUT.putPercent);
    assertEquals(0, Workload.Kind.GET.putPercent);
    assertEquals(70, Workload.Kind.MIXED.putPercent);
  }

  @Test
  void listsAreCommaSeparatedAndCaseDoesNotMatter() {
    assertEquals(List.of(new Workload(Workload.Kind.PUT, 1), new Workload(Workload.Kind.GET, 64)), Workload.parseList(" PUT@1, get@64 ,"));
  }

  @Test
  void badNamesAreRefusedWithTheAcceptedForm() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Workload.parse("put")).getMessage().contains("KIND@CONNECTIONS"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Workload.parse("scan@4")).getMessage().contains("kinds: put, get, mixed"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Workload.parse("put@x")).getMessage().contains("must be a number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Workload.parse("put@0")).getMessage().contains("1.." + Workload.MAX_CONNECTIONS));
    assertThrows(IllegalArgumentException.class, () -> Workload.parse("get@" + (Workload.MAX_CONNECTIONS + 1)));
    assertThrows(IllegalArgumentException.class, () -> Workload.parseList(" , "));
  }
}
