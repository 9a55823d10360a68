package io.raftkv.raft.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One AppendEntries with entries that a leader sent to one follower: the leader's unit of
 * batching (entries are sliced per message by append-entries-max and append-bytes-max, and sent
 * per follower as its pipelining window allows). Heartbeats without entries are not recorded.
 */
@Name("raftkv.AppendBatch")
@Label("Raft Append Batch")
@Category({"raftkv", "Raft"})
@Description("One AppendEntries with entries sent by the leader to one follower")
@StackTrace(false)
public final class AppendBatchEvent extends Event {
  @Label("Node Id")
  @Description("The leader")
  public int nodeId;

  @Label("Follower Id")
  public int followerId;

  @Label("Term")
  public long term;

  @Label("Previous Log Index")
  @Description("The index just before the first entry sent")
  public long prevLogIndex;

  @Label("Entries")
  public int entries;

  @Label("Bytes")
  @Description("The commands' estimated size (StateMachineCommand.sizeBytes), as bounded by append-bytes-max")
  @DataAmount
  public long bytes;
}
