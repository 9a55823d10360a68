package io.raftkv.profiling.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventPlanTest {
  @Test
  void theDefaultEventsShareOneSession() {
    EventPlan plan = EventPlan.of(EventPlan.DEFAULT);
    assertEquals(Optional.of("cpu"), plan.execution());
    assertEquals(List.of("alloc", "lock", "wall"), plan.companions());
    assertTrue(plan.extraExecutions().isEmpty());
    assertEquals(List.of("-e", "cpu", "--alloc", "512k", "--lock", "1us", "--wall", "20ms"), plan.mainSessionOptions());
    assertEquals(List.of("cpu", "alloc", "lock", "wall"), plan.mainEvents());
  }

  @Test
  void eachFurtherExecutionEventGetsAPhaseOfItsOwn() {
    EventPlan plan = EventPlan.of(List.of("page-faults", "alloc", "cache-misses", "cpu"));
    assertEquals(Optional.of("page-faults"), plan.execution());
    assertEquals(List.of("cache-misses", "cpu"), plan.extraExecutions());
    assertEquals(List.of("-e", "cache-misses"), EventPlan.extraSessionOptions("cache-misses"));
  }

  @Test
  void withoutAnExecutionEventTheFirstCompanionLeads() {
    EventPlan plan = EventPlan.of(List.of("alloc", "lock"));
    assertEquals(List.of("-e", "alloc", "--lock", "1us"), plan.mainSessionOptions());
    assertEquals(List.of("-e", "wall", "-i", "20ms"), EventPlan.of(List.of("wall")).mainSessionOptions());
  }

  @Test
  void badOrRepeatedNamesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> EventPlan.of(List.of()));
    assertThrows(IllegalArgumentException.class, () -> EventPlan.of(List.of("cpu", "cpu")));
    assertThrows(IllegalArgumentException.class, () -> EventPlan.of(List.of("cpu;rm")));
    assertThrows(IllegalArgumentException.class, () -> EventPlan.of(List.of("")));
  }

  @Test
  void theConverterReadsEveryExecutionEventAsCpuSamples() {
    assertEquals("--cpu", EventPlan.converterOption("page-faults"));
    assertEquals("--wall", EventPlan.converterOption("wall"));
    assertEquals("--lock", EventPlan.converterOption("lock"));
  }
}
