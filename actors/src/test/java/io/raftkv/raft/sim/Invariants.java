package io.raftkv.raft.sim;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.RaftLogState;
import io.raftkv.raft.rules.MemoryLog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raft's safety properties (Figure 3), checked as the simulation runs:
 * <ul>
 *   <li>Election Safety: at most one leader per term;
 *   <li>Log Matching: two durable logs holding an entry with the same index and term hold the same
 *       entries up to it;
 *   <li>Leader Completeness: a new leader's log holds every entry committed before;
 *   <li>State Machine Safety: no two nodes apply different entries at one index, and each node
 *       applies indexes in order;
 *   <li>Durability: of the voters of the latest committed configuration, those whose durable log
 *       lacks a committed entry are fewer than a majority, so no majority of them can elect a
 *       leader without it, whatever crashes. With one voter in three that is a majority holding
 *       it; with four voters, two suffice (a leader may commit under a newer configuration of
 *       three, whose every majority overlaps every majority of the four: dissertation §4.1).
 * </ul>
 * A violation throws {@link AssertionError} with what was seen.
 */
public final class Invariants {
  private Configuration committedConfiguration; // the latest configuration applied anywhere (the bootstrap one at first)
  private long committedConfigurationIndex;
  private final Map<Long, Integer> leaderOfTerm = new HashMap<>();
  private final TreeMap<Long, LogEntry> committed = new TreeMap<>(); // every entry applied anywhere, by index
  private final long[] lastApplied; // per node, by index into the array (node id - 1)
  private long checks;

  Invariants(int nodes, List<Integer> bootstrapVoters) {
    this.committedConfiguration = Configuration.bootstrap(bootstrapVoters);
    this.lastApplied = new long[nodes];
  }

  void becameLeader(int node, long term, MemoryLog log) {
    Integer other = leaderOfTerm.putIfAbsent(term, node);
    if (other != null && other != node) fail("Election Safety: nodes " + other + " and " + node + " both lead term " + term);
    for (LogEntry c : committed.tailMap(log.snapshotIndex(), false).values()) {
      if (c.index() > log.lastIndex() || !log.entry(c.index()).equals(c)) {
        fail("Leader Completeness: leader " + node + " of term " + term + " lacks committed " + c + " (last index " + log.lastIndex() + ")");
      }
    }
  }

  void applied(int node, LogEntry entry) {
    if (entry.index() != lastApplied[node - 1] + 1) {
      fail("State Machine Safety: node " + node + " applied index " + entry.index() + " after " + lastApplied[node - 1]);
    }
    lastApplied[node - 1] = entry.index();
    if (entry.command() instanceof Configuration c && entry.index() > committedConfigurationIndex) {
      committedConfiguration = c;
      committedConfigurationIndex = entry.index();
    }
    LogEntry before = committed.putIfAbsent(entry.index(), entry);
    if (before != null && !before.equals(entry)) {
      fail("State Machine Safety: node " + node + " applied " + entry + " where another node applied " + before);
    }
  }

  void snapshotRestored(int node, long index, long term) {
    LogEntry known = committed.get(index);
    if (known != null && known.term() != term) fail("snapshot " + index + "@" + term + " on node " + node + " but " + known + " was committed");
    lastApplied[node - 1] = index;
  }

  /** The node restarted: it applies again from its snapshot. */
  void restarted(int node) {
    lastApplied[node - 1] = 0;
  }

  /** Durability and Log Matching over the nodes' durable logs (crashed nodes included: their disks survive). */
  void checkDurable(List<RaftLogState> durable) {
    checks++;
    if (!committed.isEmpty()) {
      LogEntry last = committed.lastEntry().getValue();
      List<Integer> voters = committedConfiguration.voters();
      List<Integer> lacking = new java.util.ArrayList<>();
      for (int voter : voters) {
        RaftLogState s = durable.get(voter - 1);
        if (!(s.snapshotIndex() >= last.index() || s.termAt(last.index()) == last.term())) lacking.add(voter);
      }
      int quorum = voters.size() / 2 + 1;
      if (lacking.size() >= quorum) {
        fail("Durability: committed " + last + " is not durable on " + lacking + " of the voters " + voters + ": a majority that could elect"
            + " a leader without it");
      }
    }
    for (int a = 0; a < durable.size(); a++) {
      for (int b = a + 1; b < durable.size(); b++) checkMatching(a + 1, durable.get(a), b + 1, durable.get(b));
    }
  }

  private void checkMatching(int na, RaftLogState a, int nb, RaftLogState b) {
    long from = Math.max(a.snapshotIndex(), b.snapshotIndex()) + 1;
    long to = Math.min(a.lastIndex(), b.lastIndex());
    long highestSame = -1;
    for (long i = to; i >= from; i--) {
      if (a.termAt(i) == b.termAt(i)) {
        highestSame = i;
        break;
      }
    }
    for (long i = from; i <= highestSame; i++) {
      if (!a.entry(i).equals(b.entry(i))) {
        fail("Log Matching: nodes " + na + " and " + nb + " agree at " + highestSame + "@" + a.termAt(highestSame)
            + " but differ at " + i + ": " + a.entry(i) + " vs " + b.entry(i));
      }
    }
  }

  /** The entry committed at {@code index}, or null if no node has applied it yet. */
  public LogEntry committedAt(long index) {
    return committed.get(index);
  }

  public long maxCommittedIndex() {
    return committed.isEmpty() ? 0 : committed.lastKey();
  }

  public long lastApplied(int node) {
    return lastApplied[node - 1];
  }

  /** The configurations committed, in log order: one per membership change (the bootstrap configuration is no entry). */
  public List<Configuration> committedConfigurations() {
    return committed.values().stream().filter(e -> e.command() instanceof Configuration).map(e -> (Configuration) e.command()).toList();
  }

  /** The latest configuration any node applied (the bootstrap one until then). */
  public Configuration committedConfiguration() {
    return committedConfiguration;
  }

  public long checks() {
    return checks;
  }

  private static void fail(String message) {
    throw new AssertionError(message);
  }
}
