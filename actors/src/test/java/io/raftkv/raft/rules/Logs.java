package io.raftkv.raft.rules;

import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.raft.sim.TestCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds logs for the rule tests from their terms, the way the paper's figures draw them: a log is
 * the term of each index in turn. Every entry carries a {@link TestCommand} of 8 bytes whose value
 * is its index, so entries of equal index and term are equal records.
 */
final class Logs {
  private Logs() {}

  static LogEntry entry(long index, long term) {
    return new LogEntry(index, term, new TestCommand(index));
  }

  /** An entry whose command is {@code bytes} long (>= 8), to exercise byte bounds. */
  static LogEntry entryOfSize(long index, long term, int bytes) {
    return new LogEntry(index, term, new TestCommand(index, "x".repeat(bytes - 8)));
  }

  /** Entries at {@code firstIndex}, {@code firstIndex + 1}, ... with these terms. */
  static List<LogEntry> entries(long firstIndex, long... terms) {
    List<LogEntry> out = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) out.add(entry(firstIndex + i, terms[i]));
    return out;
  }

  /** A log without a snapshot whose index i (1-based) holds {@code terms[i - 1]}. */
  static MemoryLog log(long... terms) {
    return new MemoryLog(0, 0, entries(1, terms));
  }

  /** A log compacted through ({@code snapshotIndex}, {@code snapshotTerm}), then holding {@code terms}. */
  static MemoryLog logAfterSnapshot(long snapshotIndex, long snapshotTerm, long... terms) {
    return new MemoryLog(snapshotIndex, snapshotTerm, entries(snapshotIndex + 1, terms));
  }

  /** The terms of the entries the log holds after its snapshot, for comparing whole logs in one assertion. */
  static List<Long> terms(MemoryLog log) {
    List<Long> out = new ArrayList<>();
    for (long i = log.snapshotIndex() + 1; i <= log.lastIndex(); i++) out.add(log.termAt(i));
    return out;
  }

  static List<Long> termList(long... terms) {
    List<Long> out = new ArrayList<>();
    for (long t : terms) out.add(t);
    return out;
  }
}
