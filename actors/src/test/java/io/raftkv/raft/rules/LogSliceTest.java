package io.raftkv.raft.rules;

import static io.raftkv.raft.rules.Logs.entries;
import static io.raftkv.raft.rules.Logs.entryOfSize;
import static io.raftkv.raft.rules.Logs.log;
import static io.raftkv.raft.rules.Logs.logAfterSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftkv.persistence.raftlog.LogEntry;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §5.3 "AppendEntries ... may send more than one for efficiency": what goes into one request is a
 * slice of the leader's log, bounded by entry count and bytes (etcd's MaxSizePerMsg), yet always
 * at least one entry so that an entry bigger than the byte bound still gets replicated.
 * Every entry of {@link Logs#log} has a command of 8 bytes, and {@link LogEntry#HEADER_BYTES_MAX} of its own.
 */
@DisplayName("§5.3 slicing the log into AppendEntries")
class LogSliceTest {

  @Test
  @DisplayName("bounded by entry count")
  void countBound() {
    MemoryLog log = log(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    assertEquals(entries(3, 1, 1, 1, 1), log.slice(3, 4, Long.MAX_VALUE));
  }

  @Test
  @DisplayName("stops at the end of the log; nothing after it")
  void stopsAtEnd() {
    MemoryLog log = log(1, 1, 1, 2, 2);
    assertEquals(entries(4, 2, 2), log.slice(4, 10, Long.MAX_VALUE));
    assertEquals(List.of(), log.slice(6, 10, Long.MAX_VALUE));
  }

  @Test
  @DisplayName("bounded by bytes: the slice's entries, header included, never pass maxBytes")
  void bytesBound() {
    MemoryLog log = log(1, 1, 1, 1, 1);
    long each = LogEntry.HEADER_BYTES_MAX + 8;
    assertEquals(2, log.slice(1, 10, 3 * each - 1).size(), "2 entries fit in 3 x " + each + " - 1 bytes, 3 do not");
    assertEquals(3, log.slice(1, 10, 3 * each).size(), "exactly maxBytes is allowed");
  }

  @Test
  @DisplayName("at least one entry, even one larger than maxBytes")
  void atLeastOne() {
    // Otherwise a single large command would never be sent and replication would stop for good.
    LogEntry big = entryOfSize(1, 1, 1_000);
    MemoryLog log = new MemoryLog(0, 0, List.of(big, entryOfSize(2, 1, 8)));
    assertEquals(List.of(big), log.slice(1, 10, 100));
  }

  @Test
  @DisplayName("§7 a slice cannot start inside the snapshot (the leader must send the snapshot instead)")
  void notFromCompacted() {
    MemoryLog log = logAfterSnapshot(5, 2, 2, 2);
    assertThrows(IndexOutOfBoundsException.class, () -> log.slice(5, 10, Long.MAX_VALUE));
    assertEquals(entries(6, 2, 2), log.slice(6, 10, Long.MAX_VALUE));
  }
}
