package io.raftkv.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftkv.client.RaftkvClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.coordination.lease.javadsl.Lease;
import org.apache.pekko.coordination.lease.javadsl.LeaseProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raftkv-backed Pekko Lease against a real one-node raftkv cluster, loaded the way Pekko
 * loads any lease (LeaseProvider, from its configuration block): one owner at a time, released
 * and taken by another, an owner that restarted taking its own lease back, and a lease lost when
 * its raftkv lease is revoked under it.
 */
@Timeout(120)
class RaftkvLeaseTest {
  @TempDir Path dir;
  private OneRaftkvNode raftkv;
  private String url;
  private ActorTestKit kit;

  @BeforeEach
  void start() throws Exception {
    raftkv = OneRaftkvNode.start(dir);
    url = raftkv.url;
    Config leases = ConfigFactory.parseString("raftkv.coordination.lease { nodes = [\"" + url + "\"], heartbeat-timeout = 3s,"
        + " heartbeat-interval = 1s }\npekko.loglevel = WARNING\n").withFallback(ConfigFactory.load());
    kit = ActorTestKit.create("lease-test", leases);
  }

  @AfterEach
  void stop() {
    if (kit != null) kit.shutdownTestKit();
    if (raftkv != null) raftkv.close();
  }

  private Lease lease(String owner) {
    return LeaseProvider.get(kit.system()).getLease("singleton", "raftkv.coordination.lease", owner);
  }

  private static boolean done(java.util.concurrent.CompletionStage<Boolean> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void oneOwnerAtATimeAndTheNextAfterARelease() throws Exception {
    Lease a = lease("node-a:2551");
    Lease b = lease("node-b:2551");
    assertTrue(done(a.acquire()));
    assertTrue(a.checkLease());
    assertFalse(done(b.acquire()), "held by a");
    assertFalse(b.checkLease());
    assertTrue(done(a.acquire()), "a holds it already");
    RaftkvClient client = RaftkvClient.builder(List.of(URI.create(url))).build();
    assertEquals("node-a:2551", new String(client.get(RaftkvLease.key("singleton")).orElseThrow(), StandardCharsets.UTF_8));

    assertTrue(done(a.release()));
    assertFalse(a.checkLease());
    assertTrue(done(b.acquire()), "released: b takes it");
    assertTrue(b.checkLease());
    assertTrue(done(b.release()));
  }

  @Test
  void anOwnerThatLostItsInstanceTakesItsOwnLeaseBack() throws Exception {
    assertTrue(done(lease("node-a:2551").acquire()));
    Lease restarted = direct("node-a:2551");
    assertTrue(done(restarted.acquire()), "the same owner name");
    assertFalse(done(lease("node-b:2551").acquire()));
  }

  @Test
  void aLeaseWhoseRaftkvLeaseIsRevokedIsLostAndTheCallbackTold() throws Exception {
    RaftkvLease a = direct("node-a:2551");
    CompletableFuture<Optional<Throwable>> lost = new CompletableFuture<>();
    assertTrue(done(a.acquire(lost::complete)));
    // Another process ends the raftkv lease (as its expiry would): the next heartbeat finds it gone.
    RaftkvClient client = RaftkvClient.builder(List.of(URI.create(url))).build();
    assertTrue(client.revokeLease(a.heldRaftkvLease().orElseThrow()));
    Optional<Throwable> why = lost.get(20, TimeUnit.SECONDS);
    assertTrue(why.isPresent() && why.get().getMessage().contains("ran out"), String.valueOf(why));
    assertFalse(a.checkLease());
    assertTrue(done(lease("node-b:2551").acquire()), "free for another");
  }

  /** A lease made directly, as LeaseProvider makes one, so that the test can reach its raftkv lease. */
  private RaftkvLease direct(String owner) {
    return new RaftkvLease(lease(owner).getSettings(),
        (org.apache.pekko.actor.ExtendedActorSystem) org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(kit.system()));
  }
}
