package io.raftkv.raft.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A node's commit index moved forward (a leader by majority, a follower by the leader's word, or by a snapshot). */
@Name("raftkv.CommitAdvance")
@Label("Raft Commit Advance")
@Category({"raftkv", "Raft"})
@Description("A node's commit index moved forward")
@StackTrace(false)
public final class CommitAdvanceEvent extends Event {
  @Label("Node Id")
  public int nodeId;

  @Label("Term")
  public long term;

  @Label("Old Commit Index")
  public long oldCommitIndex;

  @Label("New Commit Index")
  public long newCommitIndex;
}
