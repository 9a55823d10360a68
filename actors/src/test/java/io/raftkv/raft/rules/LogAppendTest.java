package io.raftkv.raft.rules;

import static io.raftkv.raft.rules.Logs.entries;
import static io.raftkv.raft.rules.Logs.entry;
import static io.raftkv.raft.rules.Logs.log;
import static io.raftkv.raft.rules.Logs.termList;
import static io.raftkv.raft.rules.Logs.terms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §5.3 the shape every log keeps: entries contiguous from index 1 (or the snapshot), terms never
 * decreasing along the log. The Log Matching Property and the term lookups that use it
 * ({@code lastIndexOfTerm} stops early on a smaller term) rest on it, so the log refuses to break it.
 */
@DisplayName("§5.3 log shape: contiguous indexes, non-decreasing terms")
class LogAppendTest {

  @Test
  @DisplayName("§5.3 append takes the next index, in the same or a later term")
  void appendInOrder() {
    MemoryLog log = log(1);
    log.append(List.of(entry(2, 1)));
    log.append(entries(3, 3, 3));
    log.append(List.of());
    assertEquals(termList(1, 1, 3, 3), terms(log));
  }

  @Test
  @DisplayName("§5.3 append refuses a gap")
  void refusesGap() {
    MemoryLog log = log(1, 1);
    assertThrows(IllegalStateException.class, () -> log.append(List.of(entry(4, 1))));
    assertEquals(termList(1, 1), terms(log));
  }

  @Test
  @DisplayName("§5.3 append refuses an index the log already holds (a conflict needs truncation first)")
  void refusesOverwrite() {
    MemoryLog log = log(1, 1);
    assertThrows(IllegalStateException.class, () -> log.append(List.of(entry(2, 2))));
    assertEquals(termList(1, 1), terms(log));
  }

  @Test
  @DisplayName("§5.3 append refuses a decreasing term")
  void refusesDecreasingTerm() {
    MemoryLog log = log(1, 2);
    assertThrows(IllegalStateException.class, () -> log.append(List.of(entry(3, 1))));
    assertEquals(termList(1, 2), terms(log));
  }

  @Test
  @DisplayName("§5.3 a log built from stored entries is checked the same way")
  void constructorChecks() {
    assertThrows(IllegalStateException.class, () -> new MemoryLog(0, 0, List.of(entry(2, 1))));
    assertThrows(IllegalStateException.class, () -> new MemoryLog(4, 3, List.of(entry(5, 2))));
    assertThrows(IllegalStateException.class, () -> new MemoryLog(0, 0, List.of(entry(1, 2), entry(2, 1))));
  }

  @Test
  @DisplayName("§5.3 truncateFrom removes the entry and all that follow; beyond the end it does nothing")
  void truncate() {
    MemoryLog log = log(1, 1, 2, 2);
    log.truncateFrom(5);
    assertEquals(termList(1, 1, 2, 2), terms(log));
    log.truncateFrom(3);
    assertEquals(termList(1, 1), terms(log));
    log.append(entries(3, 3));
    assertEquals(termList(1, 1, 3), terms(log), "the log continues right after the cut");
  }
}
