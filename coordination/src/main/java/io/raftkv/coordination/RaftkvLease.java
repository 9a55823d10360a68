package io.raftkv.coordination;

import com.typesafe.config.Config;
import io.raftkv.client.RaftkvClient;
import io.raftkv.client.RaftkvException;
import io.raftkv.client.TxnReply;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.coordination.lease.LeaseSettings;
import org.apache.pekko.coordination.lease.javadsl.Lease;

/**
 * A Pekko Coordination {@link Lease} held in raftkv: the key {@code pekko-lease/NAME}, holding the
 * owner's name, attached to a raftkv lease of {@code heartbeat-timeout} that the owner keeps alive
 * every {@code heartbeat-interval}. {@link #acquire} tries once (Pekko retries): a transaction puts
 * the key only if it is missing, or holds this owner's name (an owner that restarted takes its
 * lease back). A keep-alive that finds the raftkv lease gone, or none that reaches the cluster for
 * a whole {@code heartbeat-timeout}, loses the lease and tells the callback.
 *
 * <p>Loaded by Pekko's LeaseProvider from {@code lease-class}, with the settings of the lease's
 * configuration block ({@code raftkv.coordination.lease}, reference.conf).
 */
public final class RaftkvLease extends Lease {

  /** The key of the lease named {@code name}. */
  public static String key(String name) {
    return "pekko-lease/" + name;
  }

  private final LeaseSettings settings;
  private final RaftkvClient client;
  private final String key;
  private final Duration ttl;
  private final Duration interval;
  private final ScheduledExecutorService heartbeats;
  private final Executor calls;
  /** The raftkv lease held, or null. */
  private final AtomicReference<Held> held = new AtomicReference<>();

  /** A raftkv lease held: {@code validUntil} is when it runs out as the owner counts (nanoTime), moved on by each keep-alive. */
  private record Held(long lease, ScheduledFuture<?> heartbeat, Consumer<Optional<Throwable>> onLost, AtomicLong validUntil) {}

  public RaftkvLease(LeaseSettings settings, ExtendedActorSystem system) {
    this.settings = settings;
    Config config = settings.leaseConfig();
    List<String> nodes = config.getStringList("nodes");
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("lease " + settings.leaseName() + ": give the raftkv nodes' URLs in 'nodes' of its configuration");
    }
    this.ttl = settings.timeoutSettings().getHeartbeatTimeout();
    this.interval = settings.timeoutSettings().getHeartbeatInterval();
    if (ttl.toSeconds() < 2 || interval.multipliedBy(3).compareTo(ttl) > 0) {
      throw new IllegalArgumentException("lease " + settings.leaseName() + ": heartbeat-timeout (" + ttl + ") must be at least 2 s and at least"
          + " three heartbeat-intervals (" + interval + ")");
    }
    RaftkvClient.Builder builder = RaftkvClient.builder(nodes.stream().map(RaftkvClient::nodeUrl).toList())
        .timeout(settings.timeoutSettings().getOperationTimeout());
    if (!config.getString("token").isEmpty()) {
      builder.token(config.getString("token"));
    }
    if (!config.getString("ca-certificate").isEmpty()) {
      builder.caCertificate(Path.of(config.getString("ca-certificate")));
    }
    this.client = builder.build();
    this.key = key(settings.leaseName());
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "raftkv-lease-" + settings.leaseName());
      t.setDaemon(true);
      return t;
    });
    // The client's calls block: they run on Pekko's dispatcher for blocking work, not on the caller's.
    this.calls = system.dispatchers().lookup("pekko.actor.default-blocking-io-dispatcher");
  }

  @Override
  public LeaseSettings getSettings() {
    return settings;
  }

  @Override
  public CompletionStage<Boolean> acquire() {
    return acquire(lost -> { });
  }

  @Override
  public CompletionStage<Boolean> acquire(Consumer<Optional<Throwable>> leaseLostCallback) {
    return CompletableFuture.supplyAsync(() -> tryAcquire(leaseLostCallback), calls);
  }

  private synchronized boolean tryAcquire(Consumer<Optional<Throwable>> onLost) {
    if (held.get() != null) {
      return true;
    }
    long lease = client.grantLease(ttl);
    long granted = System.nanoTime();
    String owner = quoted(settings.ownerName());
    String k = quoted(key);
    TxnReply reply = client.txn("{\"compare\": [{\"key\": " + k + ", \"target\": \"create\", \"op\": \"=\", \"number\": 0}],"
        + " \"success\": [{\"op\": \"put\", \"key\": " + k + ", \"value\": " + owner + ", \"lease\": " + lease + "}]}");
    if (!reply.succeeded()) {
      // Held by someone: by this owner itself (before a restart), it takes the key over with its new lease.
      reply = client.txn("{\"compare\": [{\"key\": " + k + ", \"target\": \"value\", \"op\": \"=\", \"value\": " + owner + "}],"
          + " \"success\": [{\"op\": \"put\", \"key\": " + k + ", \"value\": " + owner + ", \"lease\": " + lease + "}]}");
    }
    if (!reply.succeeded()) {
      client.revokeLease(lease);
      return false;
    }
    AtomicLong validUntil = new AtomicLong(granted + ttl.toNanos());
    ScheduledFuture<?> beat = heartbeats.scheduleWithFixedDelay(() -> heartbeat(lease), interval.toNanos(), interval.toNanos(),
        TimeUnit.NANOSECONDS);
    held.set(new Held(lease, beat, onLost, validUntil));
    return true;
  }

  private void heartbeat(long lease) {
    Held h = held.get();
    if (h == null || h.lease() != lease) {
      return;
    }
    long sent = System.nanoTime();
    try {
      if (client.keepAliveLease(lease).isPresent()) {
        h.validUntil().set(sent + ttl.toNanos());
        return;
      }
      lose(h, new IllegalStateException("the raftkv lease " + lease + " ran out: another owner may hold " + key + " now"));
    } catch (RaftkvException e) {
      if (System.nanoTime() - h.validUntil().get() >= 0) {
        lose(h, e);
      }
    }
  }

  private void lose(Held h, Throwable why) {
    if (held.compareAndSet(h, null)) {
      h.heartbeat().cancel(false);
      h.onLost().accept(Optional.of(why));
    }
  }

  @Override
  public CompletionStage<Boolean> release() {
    return CompletableFuture.supplyAsync(() -> {
      Held h = held.getAndSet(null);
      if (h == null) {
        return false;
      }
      h.heartbeat().cancel(false);
      return client.revokeLease(h.lease());
    }, calls);
  }

  /** Whether this owner holds the lease, as far as it knows: its last keep-alive is younger than the TTL. */
  @Override
  public boolean checkLease() {
    Held h = held.get();
    return h != null && System.nanoTime() - h.validUntil().get() < 0;
  }

  /** The raftkv lease held now, if any: for tests that end it from outside. */
  java.util.OptionalLong heldRaftkvLease() {
    Held h = held.get();
    return h == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(h.lease());
  }

  private static String quoted(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a string always renders as JSON", e);
    }
  }
}
