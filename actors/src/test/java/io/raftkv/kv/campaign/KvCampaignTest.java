package io.raftkv.kv.campaign;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.check.Verdict;
import io.raftkv.kv.campaign.KvCampaign.Run;
import io.raftkv.raft.sim.SimSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The randomized campaign of the default suite: at least 200 seeds of mixed faults with concurrent
 * clients, each run checked for Raft's safety properties and linearizability, and a watch that
 * resumes on a random node at every poll checked for nodes listing the same changes
 * ({@link io.raftkv.kv.sim.WatchAgreement}). A failure prints its
 * seed and the command that replays it; {@code -Draftkv.kv.campaign.seeds=N} runs a longer one.
 */
@ExtendWith(SimSeeds.class)
class KvCampaignTest {

  @Test
  void linearizableUnderMixedFaults() {
    int seeds = Integer.getInteger("raftkv.kv.campaign.seeds", 200);
    long base = SimSeeds.seed(5000);
    long operations = 0, crashes = 0, partitions = 0, unknown = 0, watched = 0, compared = 0;
    long started = System.nanoTime();
    for (long s = base; s < base + seeds; s++) {
      SimSeeds.using(s);
      Run run = KvCampaign.run(s, false);
      assertNotEquals(Verdict.NOT_LINEARIZABLE, run.verdict(), run.failure());
      assertTrue(run.operations() > 0, "seed " + s + " completed no operation");
      operations += run.operations();
      crashes += run.crashes();
      partitions += run.partitions();
      if (run.verdict() == Verdict.UNKNOWN) unknown++;
      watched += run.watchedRevisions();
      compared += run.watchRangesCompared();
    }
    assertTrue(watched > 0 && compared > 0, "the watch saw nothing to compare");
    System.out.printf("kv campaign: %d seeds (%d..%d), %d operations checked, %d crashes and restarts, %d partitions,"
            + " drops/duplicates/delays/slow disks throughout; %d checks unknown; a watch resuming on random nodes saw %d revisions,"
            + " %d ranges compared between nodes; %.1f s%n",
        seeds, base, base + seeds - 1, operations, crashes, partitions, unknown, watched, compared, (System.nanoTime() - started) / 1e9);
  }

  /** With followers answering linearizable reads from their own (stale) state, the campaign finds a violation. */
  @Test
  void findsTheBrokenRule() {
    long base = SimSeeds.seed(9000);
    for (long s = base; s < base + 200; s++) {
      Run run = KvCampaign.run(s, true);
      if (run.verdict() == Verdict.NOT_LINEARIZABLE) {
        System.out.println("broken rule found by seed " + s + " after " + (s - base + 1) + " seeds");
        return;
      }
    }
    throw new AssertionError("200 seeds did not catch stale follower reads");
  }
}
