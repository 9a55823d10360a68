package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClusterJvmOptionsTest {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;
  /** The formula at the defaults (a 2 GiB quota; a snapshot after 1,000,000 entries or 512 MiB of them), worked by hand in docs/OPERATIONS.md. */
  private static final NodeHeap DEFAULT_QUOTA = NodeHeap.derive(2 * GIB, 1_000_000, 64 * MIB, 512 * MIB, 3, 64 * GIB);

  @TempDir Path dir;

  @Test
  void nodesGetTheDefaultsUnlessTheEnvironmentSaysOtherwise() {
    assertEquals(List.of("-XX:+UseParallelGC", "-Xms256m", "-Xmx6341m", "-XX:MaxNewSize=341m", "-XX:MetaspaceSize=128m"),
        LocalCluster.nodeJvmOptions(null, DEFAULT_QUOTA));
    assertEquals(List.of("-XX:+UseG1GC", "-Xmx4g"), LocalCluster.nodeJvmOptions("  -XX:+UseG1GC   -Xmx4g ", DEFAULT_QUOTA));
    assertEquals(List.of(), LocalCluster.nodeJvmOptions(" ", DEFAULT_QUOTA));
  }

  /**
   * 2 GiB of 16-byte keys with 1 KiB values, and a log of 512 MiB of such entries (under a million):
   * 2 x ((2 GiB + 512 MiB) x (1 + 144 / 1040) + 256 MiB) = 6,648,939,756 bytes, 6,341 MiB rounded up;
   * a machine of 64 GiB leaves each of 3 nodes 20,992 MiB.
   */
  @Test
  void theHeapHoldsAStateAtTheQuotaTwiceOver() {
    assertEquals(6341 * MIB, DEFAULT_QUOTA.neededBytes());
    assertEquals(20992 * MIB, DEFAULT_QUOTA.capBytes());
    assertEquals("-Xmx6341m", DEFAULT_QUOTA.xmx());
    assertFalse(DEFAULT_QUOTA.capped());
    // a quota four times larger on one node: the map's share grows with it, the rest does not
    assertEquals("-Xmx38983m", NodeHeap.derive(16 * GIB, 1_000_000, 64 * MIB, 512 * MIB, 1, 64 * GIB).xmx());
    // the log's share: 100,000 entries before a snapshot are fewer than 512 MiB of them:
    // 2 x (512 MiB - 104,000,000) x 1.1385 = 940 MiB less
    assertEquals(5401 * MIB, NodeHeap.derive(2 * GIB, 100_000, 64 * MIB, 512 * MIB, 3, 64 * GIB).neededBytes());
  }

  @Test
  void aSmallQuotaKeepsTheHeapNodesHadBefore() {
    // a small state's log is snapshotted at snapshot-log-bytes-min or the state's size, not at 512 MiB:
    // 2 x ((112 + 112) MiB x 1.1385 + 256 MiB) = 1,022 MiB; 113 MiB: 1,026.6 MiB, 1,027 rounded up
    assertEquals("-Xmx1024m", NodeHeap.derive(64 * MIB, 1_000_000, 64 * MIB, 512 * MIB, 3, 64 * GIB).xmx());
    assertEquals("-Xmx1024m", NodeHeap.derive(112 * MIB, 1_000_000, 64 * MIB, 512 * MIB, 3, 64 * GIB).xmx());
    assertEquals("-Xmx1027m", NodeHeap.derive(113 * MIB, 1_000_000, 64 * MIB, 512 * MIB, 3, 64 * GIB).xmx());
    // what the parallel collector chose itself in a 1 GiB heap, and keeps in a larger one
    assertEquals("-XX:MaxNewSize=341m", NodeHeap.derive(64 * MIB, 100_000, 64 * MIB, 512 * MIB, 3, 64 * GIB).maxNewSize());
    assertEquals("-XX:MaxNewSize=341m", DEFAULT_QUOTA.maxNewSize());
    assertEquals("-Xmx1024m", NodeHeap.derive(1, 1, 1, 1, 3, 64 * GIB).xmx());
  }

  @Test
  void aMachineTooSmallForTheQuotaCapsTheHeapAndSaysSo() {
    NodeHeap laptop = NodeHeap.derive(2 * GIB, 1_000_000, 64 * MIB, 512 * MIB, 3, 16 * GIB);
    assertTrue(laptop.capped());
    assertEquals("-Xmx4608m", laptop.xmx(), "(16 GiB - 1 GiB) / 3 - 512 MiB");
    assertEquals("warning: a state at raftkv.kv.quota-bytes = 2.0 GiB needs about 6341 MiB of heap per node, but this machine's "
        + "16384 MiB leave each of its 3 nodes 4608 MiB: a node whose state nears the quota may run out of memory. Lower "
        + "raftkv.kv.quota-bytes, run fewer nodes on this machine, or set RAFTKV_NODE_JAVA_OPTS (docs/OPERATIONS.md, "
        + "\"How much heap a node needs\")", laptop.warning());
    assertEquals("-Xmx512m", NodeHeap.derive(2 * GIB, 100_000, 64 * MIB, 512 * MIB, 3, 4 * GIB).xmx());
    assertEquals("-Xmx256m", NodeHeap.derive(2 * GIB, 100_000, 64 * MIB, 512 * MIB, 3, 2 * GIB).xmx(), "never below 256 MiB");
    assertEquals("-XX:MaxNewSize=85m", NodeHeap.derive(2 * GIB, 100_000, 64 * MIB, 512 * MIB, 3, 2 * GIB).maxNewSize(), "a third of a small heap");
    assertThrows(IllegalArgumentException.class, () -> NodeHeap.derive(0, 100_000, 64 * MIB, 512 * MIB, 3, 64 * GIB));
  }

  @Test
  void theHeapIsReadFromTheSettingsFileAndTheClusterFile() throws Exception {
    Path cluster = Files.writeString(dir.resolve("cluster.conf"), ProcessCluster.layout(dir, List.of(1, 2, 3, 4)));
    Path settings = Files.writeString(dir.resolve("node.conf"), "raftkv.kv.quota-bytes = 64 MiB\n");
    NodeHeap small = LocalCluster.nodeHeap(cluster, settings);
    assertEquals(64 * MIB, small.quotaBytes());
    assertEquals(2, small.nodes());
    assertEquals(Math.min(1024 * MIB, small.capBytes()), small.heapBytes());

    Files.writeString(settings, "raftkv.raft.snapshot-entries-max = 100000\nraftkv.raft.snapshot-log-bytes-max = 256 MiB\n");
    NodeHeap defaults = LocalCluster.nodeHeap(cluster, settings); // the quota from reference.conf: 2 GiB
    assertEquals(NodeHeap.derive(2 * GIB, 100_000, 64 * MIB, 256 * MIB, 2, NodeHeap.physicalMemoryBytes()), defaults);
    // missing or unreadable: the defaults (the node itself refuses a bad file, naming the setting)
    assertEquals(NodeHeap.derive(2 * GIB, 1_000_000, 64 * MIB, 512 * MIB, 2, NodeHeap.physicalMemoryBytes()),
        LocalCluster.nodeHeap(cluster, dir.resolve("none.conf")));
    Files.writeString(settings, "raftkv.kv.quota-bytes = lots\n");
    assertEquals(2 * GIB, LocalCluster.nodeHeap(cluster, settings).quotaBytes());
  }

  @Test
  void aCallerThatPicksACollectorOrSizesTheHeapReplacesTheBasesChoice() {
    List<String> base = List.of("-XX:+UseParallelGC", "-Xms256m", "-Xmx1g", "-Dkept=1");
    // Two collectors, or an initial heap above the maximum, would stop the JVM from starting.
    assertEquals(List.of("-Dkept=1"), LocalCluster.withoutOverridden(base, List.of("-XX:+UseSerialGC", "-Xmx128m")));
    assertEquals(List.of("-Xms256m", "-Xmx1g", "-Dkept=1"), LocalCluster.withoutOverridden(base, List.of("-XX:+UseG1GC")));
    assertEquals(List.of("-XX:+UseParallelGC", "-Dkept=1"), LocalCluster.withoutOverridden(base, List.of("-Xmx128m")));
    assertEquals(base, LocalCluster.withoutOverridden(base, List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints")));
    List<String> sized = List.of("-Xms256m", "-Xmx5401m", "-XX:MaxNewSize=341m", "-Dkept=1");
    assertEquals(List.of("-Dkept=1"), LocalCluster.withoutOverridden(sized, List.of("-Xmx256m")), "a young generation over the caller's heap");
  }

  @Test
  void theDefaultsComeBeforeTheCallersOptionsSoTheCallerWins() {
    List<String> command = LocalCluster.nodeCommand(1, Path.of("c.conf"), Path.of("a.conf"), List.of("-Xmx2g"));
    if (System.getenv(LocalCluster.NODE_JAVA_OPTS) == null) {
      int defaults = command.indexOf(LocalCluster.BASE_NODE_JVM_OPTIONS.get(0));
      assertTrue(defaults > 0 && defaults < command.indexOf("-Xmx2g"), command.toString());
      assertEquals(1, command.stream().filter(o -> o.startsWith("-Xmx")).count(), "the caller's heap replaces the derived one: " + command);
    }
    assertTrue(command.indexOf("-Xmx2g") < command.indexOf("-cp"), command.toString());
  }
}
