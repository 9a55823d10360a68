package io.raftkv.node;

import io.raftkv.persistence.serialization.RaftkvSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;

/**
 * Joins the Pekko Cluster so that any majority of the configured nodes can form it, even after a
 * full stop without the first node (with a plain seed list only the first seed may form a cluster:
 * docs/OPERATIONS.md). Every second it asks each peer's join actor, at its configured address,
 * whether it is a member. If some peer is, it joins them. If none is, a majority answers (itself
 * included), the same peers answered for three rounds in a row, and it has the lowest id among
 * them, it forms the cluster by joining itself; from then on it answers that it is a member, so the
 * others join it rather than form clusters of their own. Membership only serves Pekko: Raft messages go to
 * peers' configured addresses whatever their membership.
 */
public final class MajorityJoin {
  public sealed interface Command {}

  /** Are you a member? */
  public record Probe(int fromId, ActorRef<Command> replyTo) implements Command, RaftkvSerializable {}

  public record ProbeReply(int id, boolean member) implements Command, RaftkvSerializable {}

  private enum Round implements Command { INSTANCE }

  static final Duration ROUND = Duration.ofSeconds(1);
  static final int STABLE_ROUNDS = 3;

  private MajorityJoin() {}

  public static Behavior<Command> create(ClusterLayout layout, int selfId) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Round.INSTANCE, ROUND);
      Cluster cluster = Cluster.get(ctx.getSystem());
      ActorRefResolver resolver = ActorRefResolver.get(ctx.getSystem());
      Map<Integer, ActorRef<Command>> peers = new TreeMap<>();
      Map<Integer, Address> addresses = new TreeMap<>();
      for (ClusterLayout.Member m : layout.members()) {
        if (m.id() == selfId) continue;
        peers.put(m.id(), resolver.resolveActorRef(m.pekkoAddress(layout.systemName()) + "/user/join"));
        addresses.put(m.id(), AddressFromURIString.parse(m.pekkoAddress(layout.systemName())));
      }
      int quorum = layout.members().size() / 2 + 1;
      Set<Integer> answered = new TreeSet<>();
      Set<Integer> members = new TreeSet<>();
      Set<Integer>[] previous = new Set[] {Set.of()};
      int[] stable = {0};
      boolean[] forming = {false}; // it told the cluster to join itself: it is the cluster, even before its status says so
      return Behaviors.receive(Command.class)
          .onMessage(Probe.class, p -> {
            p.replyTo().tell(new ProbeReply(selfId, forming[0] || isMember(cluster)));
            return Behaviors.same();
          })
          .onMessage(ProbeReply.class, r -> {
            answered.add(r.id());
            if (r.member()) members.add(r.id());
            return Behaviors.same();
          })
          .onMessage(Round.class, t -> {
            if (!forming[0] && !isMember(cluster)) {
              if (!members.isEmpty()) {
                List<Address> seeds = new ArrayList<>();
                for (int id : members) seeds.add(addresses.get(id));
                cluster.manager().tell(new JoinSeedNodes(seeds));
              } else {
                stable[0] = answered.equals(previous[0]) ? stable[0] + 1 : 0;
                previous[0] = Set.copyOf(answered);
                boolean lowest = answered.stream().allMatch(id -> selfId < id);
                if (answered.size() + 1 >= quorum && stable[0] >= STABLE_ROUNDS - 1 && lowest) {
                  ctx.getLog().info("no member answers; {} peers do and node {} has the lowest id: forming the cluster", answered.size(), selfId);
                  cluster.manager().tell(new Join(cluster.selfMember().address()));
                  forming[0] = true;
                }
              }
            }
            answered.clear();
            members.clear();
            for (ActorRef<Command> peer : peers.values()) peer.tell(new Probe(selfId, ctx.getSelf()));
            return Behaviors.same();
          })
          .build();
    }));
  }

  /**
   * Whether this node is in a cluster that others can join: Up, WeaklyUp, or still Joining (the
   * former of a cluster stays Joining until the cluster leader moves it Up, which can take seconds on
   * a busy machine or forever under {@code min-nr-of-members}; answering "not a member" meanwhile let
   * a late node form a second cluster of its own, and the two never merge).
   */
  private static boolean isMember(Cluster cluster) {
    MemberStatus s = cluster.selfMember().status();
    return s == MemberStatus.up() || s == MemberStatus.weaklyUp() || s == MemberStatus.joining();
  }
}
