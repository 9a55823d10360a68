package io.raftkv.raft;

/**
 * Where the answer to one client request goes: an actor (a request that came as a message, perhaps
 * from another node) or a callback in this process (a request handed over through a
 * {@link ClientInbox}). Called on the node's actor thread, exactly once per request; it must not
 * block.
 */
@FunctionalInterface
public interface Replier {
  void reply(RaftNode.ClientReply reply);
}
