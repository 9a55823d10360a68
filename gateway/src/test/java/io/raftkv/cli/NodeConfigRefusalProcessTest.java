package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code raftkv node} process refuses a configuration that cannot work: it exits by itself,
 * soon, with the configuration error code ({@link ExitCodes#USAGE}) and a message naming the
 * offending setting.
 */
class NodeConfigRefusalProcessTest {
  /** A refusal is a check before anything starts (the port cases start and stop an ActorSystem); a JVM on a busy machine may take a few seconds. */
  private static final Duration EXIT_LIMIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private List<Integer> ports;
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void ports() throws IOException {
    ports = ProcessCluster.freePorts(6);
  }

  @AfterEach
  void killLeftovers() {
    for (Process p : started) p.destroyForcibly();
  }

  /** A cluster file of three members on free ports, data under the temporary directory. */
  private String threeNodes() {
    return ProcessCluster.layout(dir, ports);
  }

  private int artery(int id) {
    return ports.get(2 * id - 2);
  }

  private int http(int id) {
    return ports.get(2 * id - 1);
  }

  /**
   * Runs {@code raftkv node --id ID -f CLUSTER -c SETTINGS} as a child process and asserts that it
   * exits by itself within {@link #EXIT_LIMIT} with {@link ExitCodes#USAGE} and output holding every
   * one of {@code expected}.
   */
  private void assertRefused(int id, String cluster, String settings, String... expected) throws Exception {
    Path clusterFile = Files.writeString(Files.createTempFile(dir, "cluster", ".conf"), cluster);
    Path settingsFile = Files.writeString(Files.createTempFile(dir, "node", ".conf"), settings + "\n");
    Path output = Files.createTempFile(dir, "node", ".out");
    long start = System.nanoTime();
    Process node = new ProcessBuilder(LocalCluster.nodeCommand(id, clusterFile, settingsFile))
        .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    started.add(node);
    boolean exited = node.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    long ms = (System.nanoTime() - start) / 1_000_000;
    String out = Files.readString(output, StandardCharsets.UTF_8);
    if (!exited) fail("raftkv node --id " + id + " with " + settings.strip() + " still runs after " + EXIT_LIMIT.toSeconds() + " s:\n" + out);
    assertEquals(ExitCodes.USAGE, node.exitValue(), "exit code; output:\n" + out);
    for (String e : expected) assertTrue(out.contains(e), "the output should name '" + e + "':\n" + out);
    String refusal = out.lines().filter(l -> l.startsWith("raftkv node:")).findFirst().orElse("(no line starting with 'raftkv node:')");
    System.out.printf("refused in %d ms (JVM start included): %s%n", ms, refusal);
  }

  @Test
  void duplicateNodeIds() throws Exception {
    assertRefused(1, threeNodes().replace("{ id = 3,", "{ id = 2,"), "", "raftkv.cluster.nodes: duplicate id 2");
  }

  @Test
  void duplicatePorts() throws Exception {
    assertRefused(1, threeNodes().replace("http-port = " + http(3), "http-port = " + http(2)), "",
        "raftkv.cluster.nodes (id 3)", "127.0.0.1:" + http(2) + " is used twice");
  }

  @Test
  void anIdNotInTheClusterFile() throws Exception {
    assertRefused(4, threeNodes(), "", "node id 4 is not in raftkv.cluster.nodes (ids: [1, 2, 3])");
  }

  @Test
  void aDataDirectoryUnderARegularFile() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    assertRefused(1, threeNodes().replace(dir.resolve("data-1").toString(), file.resolve("data-1").toString()), "",
        "raftkv.cluster.nodes (id 1) data-dir: cannot write " + file.resolve("data-1"));
  }

  @Test
  void aDataDirectoryAnotherProcessUses() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data-1"));
    try (java.nio.channels.FileChannel held = java.nio.channels.FileChannel.open(data.resolve("node.lock"),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock = held.lock()) {
      assertRefused(1, threeNodes(), "", "raftkv.cluster.nodes (id 1) data-dir: " + data + " is in use by another process");
    }
  }

  @Test
  void boundsThatMakeNoSense() throws Exception {
    assertRefused(1, threeNodes(), "raftkv.raft.heartbeat-ticks = 0", "raftkv.raft.heartbeat-ticks: must be >= 1");
    assertRefused(1, threeNodes(), "raftkv.raft.snapshot-entries-max = -5", "raftkv.raft.snapshot-entries-max: must be >= 1");
    assertRefused(1, threeNodes(), "raftkv.kv.value-bytes-max = 0", "raftkv.kv.value-bytes-max: must be between 1 and");
    // 4 GiB + 64 KiB: once wrapped round to 64 KiB and accepted.
    assertRefused(1, threeNodes(), "raftkv.raft.snapshot-chunk-bytes = 4295032832", "raftkv.raft.snapshot-chunk-bytes: must be at most");
    assertRefused(1, threeNodes(), "raftkv.raft.election-ticks-min = soon", "raftkv.raft: ", "election-ticks-min has type STRING");
    // Read by the journal plugin only once the node runs; it used to hang 30 s, then exit 0.
    assertRefused(1, threeNodes(), "raftkv.persistence.journal.fsync = maybe", "raftkv.persistence.journal.fsync");
  }

  /** Artery drops a message larger than its frame; a node whose frame cannot carry its limits' largest message does not start. */
  @Test
  void aFrameTooSmallForTheLimits() throws Exception {
    assertRefused(1, threeNodes(), "pekko.remote.artery.advanced.maximum-frame-size = 256 KiB",
        "pekko.remote.artery.advanced.maximum-frame-size: 262144 bytes", "cannot carry the node's largest message");
    assertRefused(1, threeNodes(), "raftkv.kv.value-bytes-max = 40 MiB", "raftkv.kv.value-bytes-max (with raftkv.kv.key-bytes-max): a write a follower forwards");
  }

  @Test
  void portsHeldByAnotherProcess() throws Exception {
    try (ServerSocket holder = new ServerSocket(artery(1), 1, InetAddress.getLoopbackAddress())) {
      assertRefused(1, threeNodes(), "", "raftkv.cluster.nodes (id 1) artery-port " + artery(1), "Address already in use");
    }
    try (ServerSocket holder = new ServerSocket(http(1), 1, InetAddress.getLoopbackAddress())) {
      assertRefused(1, threeNodes(), "", "raftkv.cluster.nodes (id 1) http-port " + http(1), "Address already in use");
    }
  }
}
