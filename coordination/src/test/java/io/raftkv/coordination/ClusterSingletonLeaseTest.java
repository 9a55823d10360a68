package io.raftkv.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftkv.client.KvEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.coordination.lease.LeaseUsageSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import scala.concurrent.duration.FiniteDuration;

/**
 * A Pekko Cluster Singleton that runs only while it holds a lease in raftkv
 * ({@code use-lease = "raftkv.coordination.lease"}): the singleton starts once the lease is taken,
 * and the lease's key in raftkv names this actor system as its owner.
 */
@Timeout(120)
class ClusterSingletonLeaseTest {
  @TempDir Path dir;

  @Test
  void theSingletonRunsHoldingItsLeaseInRaftkv() throws Exception {
    try (OneRaftkvNode raftkv = OneRaftkvNode.start(dir)) {
      Config config = ConfigFactory.parseString("""
          pekko.actor.provider = cluster
          pekko.remote.artery.canonical { hostname = "127.0.0.1", port = %d }
          pekko.loglevel = WARNING
          pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
          # This one-member cluster's exiting phase runs out its whole timeout, with or without the
          # lease (measured both ways): shorter, so that the test kit's 10 s for a shutdown suffice.
          pekko.coordinated-shutdown.phases.cluster-exiting.timeout = 2s
          raftkv.coordination.lease { nodes = ["%s"], heartbeat-timeout = 6s, heartbeat-interval = 2s }
          """.formatted(OneRaftkvNode.freePort(), raftkv.url)).withFallback(ConfigFactory.load());
      ActorTestKit kit = ActorTestKit.create("singleton-app", config);
      try {
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(new Join(cluster.selfMember().address()));
        TestProbe<String> started = kit.createTestProbe();
        Behavior<String> singleton = Behaviors.setup(ctx -> {
          started.ref().tell("started");
          return Behaviors.ignore();
        });
        ClusterSingletonSettings settings = ClusterSingletonSettings.create(kit.system())
            .withLeaseSettings(new LeaseUsageSettings("raftkv.coordination.lease", FiniteDuration.create(1, TimeUnit.SECONDS)));
        ClusterSingleton.get(kit.system()).init(SingletonActor.of(singleton, "the-one").withSettings(settings));
        started.expectMessage(Duration.ofSeconds(30), "started");

        List<KvEntry> leases = raftkv.client().scan("pekko-lease/", 10).entries();
        assertEquals(1, leases.size(), leases.toString());
        String owner = new String(leases.get(0).value(), StandardCharsets.UTF_8);
        assertTrue(owner.contains("singleton-app") && owner.contains("127.0.0.1"), "owned by this system: " + owner);
      } finally {
        kit.shutdownTestKit();
      }
    }
  }
}
