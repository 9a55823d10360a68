package io.raftkv.raft.rules;

import io.raftkv.persistence.raftlog.LogEntry;
import java.util.List;

/** How a follower takes an AppendEntries into its log (§5.3), with the conflict hints of §5.3's optimization. */
public final class AppendRules {
  private AppendRules() {}

  /** What the follower did with the request. */
  public sealed interface Outcome {}

  /**
   * The log does not hold {@code prevLogIndex} at {@code prevLogTerm}. Hints: the follower's log
   * ends before it ({@code conflictTerm == 0}, resume at {@code conflictIndex}), or holds another
   * term there ({@code conflictTerm}) whose first index is {@code conflictIndex}.
   */
  public record Rejected(long conflictIndex, long conflictTerm) implements Outcome {}

  /**
   * The request contradicts a committed entry: no leader of a correct cluster sends that (State
   * Machine Safety), so the log is left as it was and the request is refused as impossible.
   */
  public record Impossible(String reason) implements Outcome {}

  /**
   * The entries are in the log. {@code truncatedFrom} is the first index removed for a conflict
   * (0: none), {@code appended} the entries added, {@code matchIndex} the last index now known to
   * match the leader.
   */
  public record Accepted(long truncatedFrom, List<LogEntry> appended, long matchIndex) implements Outcome {}

  /**
   * Applies the request to {@code log}. Entries up to the snapshot index are committed, so they
   * match the leader's log by Leader Completeness and are skipped. A conflict never reaches
   * committed entries: that would break State Machine Safety, so such a request is
   * {@link Impossible} and changes nothing (the conflicts are found before anything is truncated).
   */
  public static Outcome apply(MemoryLog log, long commitIndex, long prevLogIndex, long prevLogTerm, List<LogEntry> entries) {
    long matchIndex = prevLogIndex + entries.size();
    int skip = 0;
    if (prevLogIndex < log.snapshotIndex()) {
      skip = (int) Math.min(entries.size(), log.snapshotIndex() - prevLogIndex);
      prevLogIndex = log.snapshotIndex();
      prevLogTerm = log.snapshotTerm();
    } else if (prevLogIndex > log.lastIndex()) {
      return new Rejected(log.lastIndex() + 1, 0);
    } else if (!log.matches(prevLogIndex, prevLogTerm)) {
      return new Rejected(log.firstIndexOfTermAtOrBefore(prevLogIndex), log.termAt(prevLogIndex));
    }
    long truncatedFrom = 0;
    int firstNew = entries.size();
    for (int i = skip; i < entries.size(); i++) {
      LogEntry e = entries.get(i);
      if (e.index() > log.lastIndex()) {
        firstNew = i;
        break;
      }
      if (log.termAt(e.index()) != e.term()) {
        if (e.index() <= commitIndex) {
          return new Impossible("entry " + e.index() + " of term " + e.term() + " conflicts with the committed entry of term "
              + log.termAt(e.index()) + " (commit index " + commitIndex + ")");
        }
        truncatedFrom = e.index();
        log.truncateFrom(e.index());
        firstNew = i;
        break;
      }
    }
    List<LogEntry> appended = entries.subList(firstNew, entries.size());
    log.append(appended);
    return new Accepted(truncatedFrom, List.copyOf(appended), matchIndex);
  }

  /** Where the leader resumes after a rejection with these hints (§5.3). */
  public static long nextIndexFromHints(MemoryLog leaderLog, long conflictIndex, long conflictTerm) {
    if (conflictTerm > 0) {
      long last = leaderLog.lastIndexOfTerm(conflictTerm);
      if (last > 0) return last + 1;
    }
    return Math.max(1, conflictIndex);
  }
}
