package io.raftkv.raft.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One ReadIndex round of a leader (dissertation 6.4), from its start (heartbeats sent) to its
 * confirmation by a majority; the reads of the round are served then, or as soon as the state
 * machine reaches the read index. A round cut short by a lost leadership is not recorded.
 */
@Name("raftkv.ReadIndex")
@Label("Raft ReadIndex Round")
@Category({"raftkv", "Raft"})
@Description("One ReadIndex confirmation round of a leader, from its start to its confirmation by a majority")
@StackTrace(false)
public final class ReadIndexEvent extends Event {
  @Label("Node Id")
  public int nodeId;

  @Label("Term")
  public long term;

  @Label("Round")
  public long round;

  @Label("Read Index")
  @Description("The leader's commit index when the round started")
  public long readIndex;

  @Label("Reads")
  @Description("Linearizable reads the round confirms")
  public int reads;
}
