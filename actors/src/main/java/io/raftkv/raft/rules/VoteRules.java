package io.raftkv.raft.rules;

/** Who may get a vote (§5.2, §5.4.1). */
public final class VoteRules {
  private VoteRules() {}

  /**
   * §5.4.1: a voter grants only to a candidate whose log is at least as up-to-date as its own: a
   * later last term wins; with equal last terms, the longer log wins.
   */
  public static boolean candidateLogUpToDate(long candidateLastTerm, long candidateLastIndex, long voterLastTerm, long voterLastIndex) {
    if (candidateLastTerm != voterLastTerm) return candidateLastTerm > voterLastTerm;
    return candidateLastIndex >= voterLastIndex;
  }

  /** §5.2: at most one vote per term, first come first served; repeating the same vote is fine. */
  public static boolean voteAvailable(int votedFor, int candidateId, int noVote) {
    return votedFor == noVote || votedFor == candidateId;
  }
}
