package io.raftkv.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The ActorSystems of the benchmarks: local (no remoting, no cluster), quiet, with the modules'
 * reference.conf (the Kryo serializer binding and registrations, the RocksDB plugins) underneath.
 */
final class BenchActorSystems {
  static {
    // Initialise logging before an ActorSystem logs from several threads at once; otherwise SLF4J
    // prints a three-line "calls during the initialization phase ... replayed" note.
    org.slf4j.LoggerFactory.getILoggerFactory();
  }

  private static final Duration TERMINATE_TIMEOUT = Duration.ofSeconds(30);

  private BenchActorSystems() {}

  /** A system named {@code name} with {@code overrides} over the defaults. */
  static ActorSystem<Void> start(String name, Config overrides) {
    Config config =
        overrides
            .withFallback(
                ConfigFactory.parseString(
                    String.join(
                        "\n",
                        "pekko.actor.provider = local",
                        // a fatal error must fail the benchmark, not System.exit the JMH run
                        "pekko.jvm-exit-on-fatal-error = off",
                        "pekko.loglevel = WARNING",
                        // persistence's reference.conf names these too, but in the uber jar Pekko
                        // Persistence's reference.conf is appended after it and resets them to ""
                        "pekko.persistence.journal.plugin = raftkv.persistence.journal",
                        "pekko.persistence.snapshot-store.plugin = raftkv.persistence.snapshot-store")))
            .withFallback(ConfigFactory.load());
    return ActorSystem.create(Behaviors.empty(), name, config);
  }

  /** Terminates {@code system} and waits for it, so the next trial starts clean. */
  static void terminate(ActorSystem<?> system) throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(TERMINATE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
