package io.raftkv.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/**
 * A bad raftkv.kryo.classes in the system config stops the ActorSystem from starting (Pekko
 * creates the serializers at start-up), with the setting named: a misconfigured node fails at
 * once instead of on its first message.
 */
class BadConfigActorSystemTest {

  @Test
  void duplicateIdInTheSystemConfigStopsStartUp() {
    String duplicate =
        "raftkv.kryo.classes { \"" + NotRegistered.class.getName() + "\" = 901 }"; // 901 = Ping
    ActorTestKit started;
    try {
      started = ActorTestKit.create(TestKryoConfig.config(duplicate));
    } catch (RuntimeException failure) {
      assertTrue(chainContains(failure, "raftkv.kryo.classes"), () -> describe(failure));
      assertTrue(chainContains(failure, "share id 901"), () -> describe(failure));
      return;
    }
    started.shutdownTestKit();
    fail("the ActorSystem started despite a duplicate Kryo id");
  }

  private static boolean chainContains(Throwable failure, String text) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains(text)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable failure) {
    StringBuilder chain = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      chain.append(t).append('\n');
    }
    return chain.toString();
  }
}
