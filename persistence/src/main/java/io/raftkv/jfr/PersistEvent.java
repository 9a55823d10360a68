package io.raftkv.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One batch persisted by a node's event-sourced RaftLog. The duration runs from the log actor's
 * receipt of the Persist command to the journal's durable acknowledgement (the after-persist
 * callback, just before Persisted is sent back): it leaves out the mailbox time on either side.
 */
@Name("raftkv.Persist")
@Label("Raft Persist")
@Category({"raftkv", "Raft"})
@Description("One batch of the Raft log made durable, from the log actor's receipt to the journal's acknowledgement")
@StackTrace(false)
public final class PersistEvent extends Event {
  @Label("Node Id")
  public int nodeId;

  @Label("Batch")
  @Description("The node's batch number (1, 2, ... per incarnation)")
  public long seq;

  @Label("Events")
  @Description("Log events in the batch (term, vote, appends, truncation, snapshot)")
  public int events;

  @Label("Entries")
  @Description("Log entries appended by the batch")
  public int entries;

  @Label("Bytes")
  @Description("Estimated payload: the entries' command sizes (StateMachineCommand.sizeBytes) plus any snapshot's bytes")
  @DataAmount
  public long bytes;
}
