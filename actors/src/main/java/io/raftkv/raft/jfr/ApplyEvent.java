package io.raftkv.raft.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Committed entries applied to the state machine in one step (one run of the apply loop); the
 * duration covers the state machine's work and the replies to waiting proposers.
 */
@Name("raftkv.Apply")
@Label("Raft Apply")
@Category({"raftkv", "Raft"})
@Description("Committed entries applied to the state machine in one step")
@StackTrace(false)
public final class ApplyEvent extends Event {
  @Label("Node Id")
  public int nodeId;

  @Label("First Index")
  public long firstIndex;

  @Label("Last Index")
  public long lastIndex;

  @Label("Entries")
  @Description("Entries applied, a new leader's no-op entries included")
  public int entries;

  @Label("Bytes")
  @Description("The applied commands' estimated size (StateMachineCommand.sizeBytes); no-ops count nothing")
  @DataAmount
  public long bytes;
}
