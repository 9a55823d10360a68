package io.raftkv.gatling;

/**
 * The seed's mixed test: per operation, 70% a put of {@code key_<user>_<op>} =
 * {@code value_<random 1000..9999>} and 30% a get of {@code key_<user>_<op>}, drawn from the user's
 * seeded random source. As in the seed, a get reads the key of its own operation number, which that
 * user has not written in this run, so it usually answers 404 (200 if an earlier run wrote it): both
 * count as OK. Settings: {@link LoadSettings}.
 */
public class MixedSimulation extends RaftkvSimulation {
  /** Percentage of operations that are puts. */
  public static final int PUT_PERCENT = 70;

  {
    run(population("mixed", mixed(this)));
  }

  /** The mixed operations of {@code simulation}'s settings (shared with StressSimulation). */
  static io.gatling.javaapi.core.ChainBuilder mixed(RaftkvSimulation simulation) {
    return simulation.operations((session, random, user, op) -> {
      boolean put = random.nextInt(100) < PUT_PERCENT;
      return session.set("key", seedKey(user, op)).set("put", put)
          .set("value", put ? simulation.settings.value(random) : new byte[0]);
    }, get(200, 404));
  }
}
