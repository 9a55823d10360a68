package io.raftkv.gatling;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;

import java.time.Duration;

/**
 * The seed's stress tester, "threads x operations": exactly {@code users} concurrent users (closed
 * model, one connection each), each doing exactly {@code ops} operations (default 1000), then the run
 * ends. {@code workload=put} makes every operation a put (the seed's put test), {@code workload=mixed}
 * (default) 70% put / 30% get (its mixed test), with the seed's keys and values.
 *
 * <p>The duration still bounds the run (default 10 minutes here); a second assertion checks that all
 * {@code users x ops} requests were sent, so a run cut short by it fails instead of reporting fewer
 * operations. {@code rate} does not apply.
 */
public class StressSimulation extends RaftkvSimulation {
  /** Operations per user when {@code ops} is not set. */
  public static final int DEFAULT_OPS = 1000;

  {
    if (settings.rate().isPresent()) {
      throw new IllegalArgumentException("rate does not apply to StressSimulation (a closed model of users x ops); unset it");
    }
    long expected = (long) settings.users() * opsPerUser();
    var chain = settings.workload().equals("put")
        ? operations((session, random, user, op) -> session.set("key", seedKey(user, op)).set("value", settings.value(random)).set("put", true),
            exec(session -> session))
        : MixedSimulation.mixed(this);
    run(population("stress-" + settings.workload(), chain), global().allRequests().count().is(expected));
  }

  @Override
  protected int opsPerUser() {
    return settings.ops().orElse(DEFAULT_OPS);
  }

  @Override
  protected Duration defaultDuration() {
    return Duration.ofMinutes(10);
  }
}
