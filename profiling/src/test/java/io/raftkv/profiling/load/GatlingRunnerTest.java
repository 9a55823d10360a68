package io.raftkv.profiling.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's command line and its refusals, without running Gatling. */
class GatlingRunnerTest {
  @TempDir Path dir;

  @Test
  void anUnbuiltGatlingModuleIsAClearError() throws Exception {
    GatlingRunner runner = new GatlingRunner(dir, Duration.ofSeconds(30));
    String message = assertThrows(IllegalStateException.class,
        () -> runner.run(GatlingOptions.defaults("mixed"), dir.resolve("results"), line -> {})).getMessage();
    assertTrue(message.contains("gatling/target/classpath.txt is missing") && message.contains("run mvn -B -DskipTests package first"), message);

    Files.createDirectories(dir.resolve("gatling/target"));
    Files.writeString(dir.resolve("gatling/target/classpath.txt"), "/x.jar");
    message = assertThrows(IllegalStateException.class, () -> runner.command(GatlingOptions.defaults("mixed"), dir)).getMessage();
    assertTrue(message.contains("io/raftkv/gatling/MixedSimulation.class is missing") && message.contains("run mvn -B -DskipTests package first"), message);
    assertTrue(Files.notExists(dir.resolve("results")), "nothing is started or created");
  }

  @Test
  void theCommandRunsGatlingsMainClassWithTheSettings() throws Exception {
    Path classes = Files.createDirectories(dir.resolve("gatling/target/test-classes/io/raftkv/gatling"));
    Files.writeString(classes.resolve("PutSimulation.class"), "");
    Files.writeString(dir.resolve("gatling/target/classpath.txt"), "/a.jar:/b.jar\n");
    GatlingOptions o = GatlingOptions.defaults("put").withUsers(4).withUrls(List.of("http://127.0.0.1:8091"));
    List<String> command = new GatlingRunner(dir, Duration.ofSeconds(30)).command(o, dir.resolve("results"));
    String cp = command.get(command.indexOf("-cp") + 1);
    assertEquals(dir.resolve("gatling/target/test-classes") + ":/a.jar:/b.jar", cp);
    assertTrue(command.containsAll(GatlingRunner.JVM_OPTIONS), command.toString());
    assertTrue(command.containsAll(o.systemProperties()), command.toString());
    assertEquals(List.of("io.gatling.app.Gatling", "--simulation", "io.raftkv.gatling.PutSimulation",
            "--results-folder", dir.resolve("results").toString(), "--run-description", "put: 4 users, 30s, 1 url"),
        command.subList(command.indexOf("io.gatling.app.Gatling"), command.size()));
  }

  @Test
  void theBoundIsTheDurationPlusTheGraceAndThePrefill() {
    GatlingRunner runner = new GatlingRunner(dir, Duration.ofSeconds(60));
    assertEquals(Duration.ofSeconds(90), runner.bound(GatlingOptions.defaults("mixed")));
    assertEquals(Duration.ofSeconds(90 + 200), runner.bound(GatlingOptions.defaults("read-heavy")));
  }
}
