package io.raftkv.node;

import io.raftkv.http.NodeMetrics;
import io.raftkv.persistence.kv.KvStateMachine;
import io.raftkv.watch.ChangeSignal;
import io.raftkv.persistence.raftlog.RaftLog;
import io.raftkv.persistence.snapshot.SnapshotFiles;
import io.raftkv.raft.ClientInbox;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import io.raftkv.raft.SnapshotStore;
import io.raftkv.raft.PeerAuthenticator;
import io.raftkv.security.PeerCertificates;
import io.raftkv.security.PeerProofs;
import io.raftkv.security.PeerTls;
import io.raftkv.security.PemFiles;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.setup.ActorSystemSetup;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.remote.artery.tcp.SSLEngineProviderSetup;

/**
 * One raftkv node: an ActorSystem holding the durable log ({@code /user/raft-log}), the Raft node
 * ({@code /user/raft}, where peers send to it) with the key-value state machine, the cluster
 * join actor ({@code /user/join}) and the state's size for other nodes' status ({@code /user/state-size}). Peers are resolved from their configured addresses, never from
 * the receptionist (which hides unreachable members and is empty before a node joins).
 */
public final class RaftkvNode {
  private final NodeConfig config;
  private final ActorSystem<Void> system;
  private final ActorRef<RaftNode.Command> raft;
  private final MemberDirectory members; // where every member runs, as the Raft configuration says
  private final ClientInbox inbox; // this process's requests to its Raft node, handed over in batches
  private final NodeMetrics metrics;
  private final KvStateMachine stateMachine;
  private final ChangeSignal changes; // wakes watches when the state machine applied a change
  private final CompletableFuture<FatalStop> fatalStop; // completed when the node stops itself
  private final Optional<PeerTls> peerTls; // present when the nodes talk TLS
  private final java.util.concurrent.CompletionStage<Boolean> stopped; // see BoundedTermination

  private RaftkvNode(NodeConfig config, ActorSystem<Void> system, ActorRef<RaftNode.Command> raft, MemberDirectory members, NodeMetrics metrics,
      KvStateMachine stateMachine, ChangeSignal changes, CompletableFuture<FatalStop> fatalStop, Optional<PeerTls> peerTls) {
    this.changes = changes;
    this.fatalStop = fatalStop;
    this.peerTls = peerTls;
    this.metrics = metrics;
    this.members = members;
    this.stateMachine = stateMachine;
    this.inbox = new ClientInbox(raft, config.gateway().inboxRequestsMax(), config.gateway().inboxBytesMax(),
        config.gateway().inboxBatchRequestsMax());
    this.config = config;
    this.system = system;
    this.raft = raft;
    this.stopped = BoundedTermination.of(system, config.self().id());
  }

  public static RaftkvNode start(NodeConfig config) {
    CompletableFuture<ActorRef<RaftNode.Command>> raftRef = new CompletableFuture<>();
    CompletableFuture<MemberDirectory> directory = new CompletableFuture<>();
    NodeMetrics metrics = new NodeMetrics();
    ChangeSignal changes = new ChangeSignal();
    KvStateMachine stateMachine = new KvStateMachine(config.limits(), config.sessions(), config.history(), config.leases(),
        config.quotaBytes(), changes::changed);
    CompletableFuture<FatalStop> fatalStop = new CompletableFuture<>();
    ActorSystemSetup setup = ActorSystemSetup.create(BootstrapSetup.create(config.system()));
    Optional<PeerTls> peerTls = Optional.empty();
    PeerAuthenticator authenticator = PeerAuthenticator.NONE;
    if (config.tls().enabled()) {
      PeerCertificates certificates = new PeerCertificates();
      // Before the directory exists, the bootstrap layout says who is where (it lists every member a joining node was told of).
      PeerTls tls = new PeerTls(config.tls(), (host, port) -> directory.isDone() ? directory.join().nodeAt(host, port) : config.layout().nodeAt(host, port),
          certificates);
      setup = setup.and(SSLEngineProviderSetup.create(system -> tls));
      peerTls = Optional.of(tls);
      authenticator = new PeerProofs(config.self().id(), PemFiles.readPrivateKey(config.tls().files().nodeKey(config.self().id())), certificates);
    }
    ActorSystem<Void> system = ActorSystem.create(guardian(config, stateMachine, raftRef, directory, metrics, fatalStop, authenticator),
        config.layout().systemName(), setup);
    // The guardian hands out the Raft node as it starts; a guardian that failed first stops the system instead.
    CompletableFuture<Object> stoppedFirst = system.getWhenTerminated().toCompletableFuture().thenApply(t -> {
      FatalStop why = fatalStop.getNow(null);
      throw new IllegalStateException("node " + config.self().id() + " stopped while starting" + (why == null ? "" : ": " + why.reason()));
    });
    try {
      CompletableFuture.anyOf(raftRef, stoppedFirst).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw (IllegalStateException) e.getCause();
    }
    return new RaftkvNode(config, system, raftRef.join(), directory.join(), metrics, stateMachine, changes, fatalStop, peerTls);
  }

  /** The Raft snapshot files' directory, under the node's data directory. */
  public static final String SNAPSHOT_DIR = "raft-snapshots";
  static final String STATE_SIZE = "state-size";
  static final String RAFT_LOG = "raft-log";

  private static Behavior<Void> guardian(NodeConfig config, KvStateMachine stateMachine, CompletableFuture<ActorRef<RaftNode.Command>> raftRef,
      CompletableFuture<MemberDirectory> directory, RaftObserver observer, CompletableFuture<FatalStop> fatalStop, PeerAuthenticator authenticator) {
    return Behaviors.<Void>setup(ctx -> {
      int id = config.self().id();
      MemberDirectory members = new MemberDirectory(config.layout(), ActorRefResolver.get(ctx.getSystem()), authenticator);
      long seed = new SecureRandom().nextLong();
      ctx.getLog().info("node {} starting: election timeouts seeded with {}", id, seed);
      ActorRef<RaftLog.Command> log = ctx.spawn(RaftLog.create(id), RAFT_LOG);
      SnapshotStore snapshots = new SnapshotStore(
          new SnapshotFiles(config.dataDir().resolve(SNAPSHOT_DIR), config.system().getBoolean("raftkv.persistence.snapshot-store.fsync")),
          ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking()));
      // Called on the Raft node's thread: what it uses of this actor is taken here, not its context.
      org.slf4j.Logger logger = ctx.getLog();
      ActorSystem<Void> system = ctx.getSystem();
      IdentityObserver identity = new IdentityObserver(config.identity(), logger, fatalStop, system::terminate, System::nanoTime);
      ActorRef<RaftNode.Command> raft = ctx.spawn(RaftNode.createWithTicks(config.raft(), members, log,
          stateMachine, snapshots, new Random(seed), RaftObserver.both(RaftObserver.both(members, identity), observer)), "raft");
      ctx.spawn(MajorityJoin.create(config.layout(), id), "join");
      ctx.spawn(StateSizeReporter.create(id, stateMachine), STATE_SIZE);
      ctx.spawn(LeaseExpiry.create(stateMachine, raft), "lease-expiry");
      ctx.watch(raft);
      ctx.watch(log);
      directory.complete(members);
      raftRef.complete(raft);
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, t -> {
            // A failed Raft node or log cannot go on safely in this process: stop it, let it be restarted.
            // Only these two are watched, and they stop only on a failure: a clean shutdown stops the guardian first.
            FatalStop stop = FatalStop.of(t.getRef().path().name(), t instanceof ChildFailed failed ? failed.getCause() : null);
            ctx.getLog().error("node {} stops itself, exit code {}: {}", id, stop.exitCode(), stop.reason());
            fatalStop.complete(stop);
            ctx.getSystem().terminate();
            return Behaviors.stopped();
          })
          .build();
    });
  }

  public NodeConfig config() { return config; }
  public ActorSystem<Void> system() { return system; }

  /** The mutual TLS between nodes, when on. */
  public Optional<PeerTls> peerTls() { return peerTls; }
  public ActorRef<RaftNode.Command> raft() { return raft; }
  /** Where every member runs, as the configuration in force says. */
  public MemberDirectory members() { return members; }

  /** Every member's Raft node (this one's local ref for itself), keyed by id: the configuration in force, now. */
  public Map<Integer, ActorRef<RaftNode.Command>> raftRefs() {
    Map<Integer, ActorRef<RaftNode.Command>> refs = new TreeMap<>();
    for (int id : members.members()) {
      ActorRef<RaftNode.Command> ref = id == config.self().id() ? raft : members.raft(id);
      if (ref != null) refs.put(id, ref);
    }
    return refs;
  }

  /** Every member's {@code /user/state-size}, this node's included, keyed by id: the configuration in force, now. */
  public Map<Integer, ActorRef<StateSizeReporter.GetStateSize>> stateSizeRefs() {
    Map<Integer, ActorRef<StateSizeReporter.GetStateSize>> refs = new TreeMap<>();
    for (int id : members.members()) {
      ActorRef<StateSizeReporter.GetStateSize> ref = members.stateSize(id);
      if (ref != null) refs.put(id, ref);
    }
    return refs;
  }
  /** This node's state size and quota, read now. */
  public StateSizeReporter.StateSize stateSize() {
    return new StateSizeReporter.StateSize(config.self().id(), stateMachine.stateBytes(), stateMachine.quotaBytes());
  }
  public NodeMetrics metrics() { return metrics; }
  /** The state machine, for what reads it directly from any thread: watches. */
  public KvStateMachine stateMachine() { return stateMachine; }
  /** Completes a future at each change the state machine applies: what watches wait on. */
  public ChangeSignal changes() { return changes; }
  public ClientInbox inbox() { return inbox; }

  /** Why the node stopped itself, once it has (a part it needs failed); empty while it runs and after a clean stop. */
  public Optional<FatalStop> fatalStop() {
    return Optional.ofNullable(fatalStop.getNow(null));
  }

  /** Stops the node cleanly (CoordinatedShutdown: leaves the cluster, closes the journal). */
  public void stop() {
    system.terminate();
    whenStopped().toCompletableFuture().join();
  }

  /**
   * Completes once the node has stopped, by {@link #stop()} or by itself: true when its actor system
   * terminated, false when it was given up on a bounded time after its last shutdown phase began
   * ({@link BoundedTermination}).
   */
  public java.util.concurrent.CompletionStage<Boolean> whenStopped() {
    return stopped;
  }
}
