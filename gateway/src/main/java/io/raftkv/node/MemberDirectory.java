package io.raftkv.node;

import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.raft.PeerAuthenticator;
import io.raftkv.raft.PeerDirectory;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;

/**
 * Where every member of the cluster runs, as the members change: the bootstrap file's members at
 * first, then whatever the Raft configuration in force says (it is told through
 * {@link #configurationChanged}). Resolves each member's actors from its address (the Raft node for
 * peers and for forwarding, the state-size reporter for {@code /v1/cluster}); never from the
 * receptionist, which hides unreachable members and is empty before a node joins. Read from the
 * gateway's threads, written from the Raft node's: the tables are replaced whole.
 */
public final class MemberDirectory implements PeerDirectory, RaftObserver {
  /**
   * Where one member runs: its Artery at {@code host}, its HTTP API at {@code httpHost} (the
   * cluster file's http-host; for a member that joined at run time its host, the one the persisted
   * configuration keeps).
   */
  public record Address(String host, int arteryPort, int httpPort, String httpHost) {
    Address(String host, int arteryPort, int httpPort) {
      this(host, arteryPort, httpPort, host);
    }

    public String httpUrl() {
      return "http://" + httpHost + ":" + httpPort;
    }

    String pekkoAddress(String systemName) {
      return "pekko://" + systemName + "@" + host + ":" + arteryPort;
    }
  }

  private final String systemName;
  private final ActorRefResolver resolver;
  private volatile Map<Integer, Address> addresses; // every member known, removed ones kept (a removed node is told so)
  private volatile List<Integer> members; // the configuration in force, ascending
  private volatile List<Integer> learners = List.of(); // of those, the learners
  private final Map<String, ActorRef<?>> resolved = new ConcurrentHashMap<>(); // by actor path
  private final PeerAuthenticator authenticator;

  /** @param authenticator the peers' proofs of sender ({@link PeerAuthenticator#NONE} when the nodes do not talk TLS) */
  public MemberDirectory(ClusterLayout bootstrap, ActorRefResolver resolver, PeerAuthenticator authenticator) {
    this.systemName = bootstrap.systemName();
    this.resolver = resolver;
    this.authenticator = authenticator;
    Map<Integer, Address> a = new TreeMap<>();
    for (ClusterLayout.Member m : bootstrap.members()) a.put(m.id(), new Address(m.host(), m.arteryPort(), m.httpPort(), m.httpHost()));
    this.addresses = Map.copyOf(a);
    this.members = bootstrap.members().stream().map(ClusterLayout.Member::id).sorted().toList();
  }

  @Override
  public void configurationChanged(int nodeId, long index, Configuration configuration) {
    Map<Integer, Address> a = new TreeMap<>(addresses);
    for (Member m : configuration.members()) {
      if (!m.host().isEmpty()) a.put(m.id(), known(a.get(m.id()), m));
    }
    addresses = Map.copyOf(a);
    members = configuration.ids();
    learners = configuration.learners();
  }

  /**
   * {@code member}'s address from the configuration, keeping the http-host the cluster file gave
   * ({@code before}) while the member still runs where the file says: the persisted member has one host.
   */
  private static Address known(Address before, Member member) {
    Address now = new Address(member.host(), member.arteryPort(), member.httpPort());
    boolean same = before != null && before.host().equals(now.host()) && before.arteryPort() == now.arteryPort() && before.httpPort() == now.httpPort();
    return same ? before : now;
  }

  /** Whether member {@code id} is a learner in the configuration in force. */
  public boolean isLearner(int id) {
    return learners.contains(id);
  }

  /** The members of the configuration in force, ascending by id. */
  public List<Integer> members() {
    return members;
  }

  /** Where member {@code id} runs, or null when unknown. */
  /** The member whose Artery endpoint is {@code host:arteryPort}, or empty when none is known there. */
  public java.util.OptionalInt nodeAt(String host, int arteryPort) {
    for (Map.Entry<Integer, Address> e : addresses.entrySet()) {
      if (e.getValue().host().equals(host) && e.getValue().arteryPort() == arteryPort) return java.util.OptionalInt.of(e.getKey());
    }
    return java.util.OptionalInt.empty();
  }

  @Override
  public PeerAuthenticator authenticator() {
    return authenticator;
  }

  public Address address(int id) {
    return addresses.get(id);
  }

  @Override
  public ActorRef<RaftMessage> peer(int id, Member member) {
    Address a = member != null && !member.host().isEmpty() ? known(addresses.get(id), member) : addresses.get(id);
    return a == null ? null : resolve(a, "raft");
  }

  /** Member {@code id}'s Raft node, or null when its address is unknown. */
  public ActorRef<RaftNode.Command> raft(int id) {
    Address a = addresses.get(id);
    return a == null ? null : resolve(a, "raft");
  }

  /** Member {@code id}'s state-size reporter, or null when its address is unknown. */
  public ActorRef<StateSizeReporter.GetStateSize> stateSize(int id) {
    Address a = addresses.get(id);
    return a == null ? null : resolve(a, RaftkvNode.STATE_SIZE);
  }

  @SuppressWarnings("unchecked")
  private <T> ActorRef<T> resolve(Address a, String actor) {
    String path = a.pekkoAddress(systemName) + "/user/" + actor;
    return (ActorRef<T>) resolved.computeIfAbsent(path, resolver::resolveActorRef);
  }
}
