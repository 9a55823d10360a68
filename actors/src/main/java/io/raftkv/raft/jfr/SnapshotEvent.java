package io.raftkv.raft.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A Raft snapshot: taken by this node (the state machine serialized, the log compacted), installed
 * from the leader's chunks, or restored from the durable log at start. The duration covers the
 * state machine's snapshot or restore.
 */
@Name("raftkv.Snapshot")
@Label("Raft Snapshot")
@Category({"raftkv", "Raft"})
@Description("A Raft snapshot taken, installed from the leader, or restored at start")
@StackTrace(false)
public final class SnapshotEvent extends Event {
  public static final String TAKEN = "taken";
  public static final String INSTALLED = "installed";
  public static final String RESTORED = "restored";

  @Label("Node Id")
  public int nodeId;

  @Label("Kind")
  @Description("taken, installed or restored")
  public String kind;

  @Label("Last Included Index")
  public long lastIncludedIndex;

  @Label("Last Included Term")
  public long lastIncludedTerm;

  @Label("Bytes")
  @Description("The snapshot's size")
  @DataAmount
  public long bytes;
}
