package io.raftkv.gatling;

import static io.gatling.javaapi.core.CoreDsl.exec;

/**
 * The seed's put test: every operation is a put of {@code key_<user>_<op>} =
 * {@code value_<random 1000..9999>} (or {@code valueSize} random bytes). Settings: {@link LoadSettings}.
 */
public class PutSimulation extends RaftkvSimulation {
  {
    run(population("put", operations(
        (session, random, user, op) -> session.set("key", seedKey(user, op)).set("value", settings.value(random)).set("put", true),
        exec(session -> session))));
  }
}
