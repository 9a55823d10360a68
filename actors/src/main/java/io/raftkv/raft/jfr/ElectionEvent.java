package io.raftkv.raft.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One election round of one candidate, from the moment it became (pre-)candidate to its outcome;
 * the event's duration is that span. A pre-vote round that wins is followed by a second event for
 * the real election.
 */
@Name("raftkv.Election")
@Label("Raft Election")
@Category({"raftkv", "Raft"})
@Description("One election round of a candidate (pre-vote or real), from its start to its outcome")
@StackTrace(false)
public final class ElectionEvent extends Event {
  /** The candidate had a majority: a pre-vote round goes on to the election, an election makes a leader. */
  public static final String WON = "won";
  /** The election timer ran out without a majority: the candidate starts a new round. */
  public static final String LOST = "lost";
  /** The candidate heard of a leader of its term, or of a newer term, and became a follower. */
  public static final String STEPPED_DOWN = "stepped down";

  @Label("Node Id")
  public int nodeId;

  @Label("Term")
  @Description("The term the election is for (for a pre-vote round: the term the candidate would stand in)")
  public long term;

  @Label("Pre-Vote")
  @Description("A pre-vote round (no term change, dissertation 9.6)")
  public boolean preVote;

  @Label("Leadership Transfer")
  @Description("Started by a TimeoutNow from the leader")
  public boolean transfer;

  @Label("Votes")
  @Description("Votes granted, the candidate's own included")
  public int votes;

  @Label("Voters")
  public int voters;

  @Label("Outcome")
  @Description("won, lost (timed out) or stepped down")
  public String outcome;
}
