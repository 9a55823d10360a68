package io.raftkv.raft;

import io.raftkv.persistence.raftlog.Member;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How a node reaches its peers' Raft nodes as the members change: by id, with the member's entry
 * in the configuration in force (its address), or null for a node the configuration does not hold
 * (a member of the bootstrap file, known by id, or one just removed that is told so).
 */
@FunctionalInterface
public interface PeerDirectory {
  /** The Raft node of peer {@code id}, or null when it cannot be reached. */
  ActorRef<RaftMessage> peer(int id, Member member);

  /** How messages to and from the peers prove their sender; none by default (the transport is not TLS). */
  default PeerAuthenticator authenticator() {
    return PeerAuthenticator.NONE;
  }

  /** A fixed set of peers, by id (tests, the simulator). */
  static PeerDirectory of(Map<Integer, ActorRef<RaftMessage>> refs) {
    Map<Integer, ActorRef<RaftMessage>> copy = Map.copyOf(refs);
    return (id, member) -> copy.get(id);
  }
}
