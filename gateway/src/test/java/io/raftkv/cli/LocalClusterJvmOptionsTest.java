package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalClusterJvmOptionsTest {
  @Test
  void nodesGetTheDefaultsUnlessTheEnvironmentSaysOtherwise() {
    assertEquals(LocalCluster.DEFAULT_NODE_JVM_OPTIONS, LocalCluster.nodeJvmOptions(null));
    assertEquals(List.of("-XX:+UseG1GC", "-Xmx4g"), LocalCluster.nodeJvmOptions("  -XX:+UseG1GC   -Xmx4g "));
    assertEquals(List.of(), LocalCluster.nodeJvmOptions(" "));
  }

  @Test
  void aCallerThatPicksACollectorOrSizesTheHeapReplacesTheBasesChoice() {
    List<String> base = List.of("-XX:+UseParallelGC", "-Xms256m", "-Xmx1g", "-Dkept=1");
    // Two collectors, or an initial heap above the maximum, would stop the JVM from starting.
    assertEquals(List.of("-Dkept=1"), LocalCluster.withoutOverridden(base, List.of("-XX:+UseSerialGC", "-Xmx128m")));
    assertEquals(List.of("-Xms256m", "-Xmx1g", "-Dkept=1"), LocalCluster.withoutOverridden(base, List.of("-XX:+UseG1GC")));
    assertEquals(List.of("-XX:+UseParallelGC", "-Dkept=1"), LocalCluster.withoutOverridden(base, List.of("-Xmx128m")));
    assertEquals(base, LocalCluster.withoutOverridden(base, List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints")));
  }

  @Test
  void theDefaultsComeBeforeTheCallersOptionsSoTheCallerWins() {
    List<String> command = LocalCluster.nodeCommand(1, Path.of("c.conf"), Path.of("a.conf"), List.of("-Xmx2g"));
    if (System.getenv(LocalCluster.NODE_JAVA_OPTS) == null) {
      int defaults = command.indexOf(LocalCluster.DEFAULT_NODE_JVM_OPTIONS.get(0));
      assertTrue(defaults > 0 && defaults < command.indexOf("-Xmx2g"), command.toString());
    }
    assertTrue(command.indexOf("-Xmx2g") < command.indexOf("-cp"), command.toString());
  }
}
