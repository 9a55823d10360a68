package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real node JVMs and {@code raftkv lock} in JVMs of its own: the holder is killed with
 * SIGKILL while its command runs; the next {@code raftkv lock} waits, and gets the lock only once
 * the dead holder's lease ran out (no two holders overlap), with a larger fencing token.
 */
@Tag("slow") // three node JVMs: the slower tier
class LockProcessTest {
  private static final Duration TTL = Duration.ofSeconds(3);
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;
  private ProcessCluster cluster;
  private final List<Process> holders = new ArrayList<>();

  @AfterEach
  void down() {
    for (Process p : holders) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    if (cluster != null) cluster.down();
  }

  private Process lock(String name, Path token, String then) throws Exception {
    String nodes = String.join(",", cluster.url(1), cluster.url(2), cluster.url(3));
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
        System.getProperty("java.class.path"), RaftkvCli.class.getName(), "lock", name, "--ttl", TTL.toSeconds() + "s", "--nodes", nodes,
        "--", "sh", "-c", "echo $RAFTKV_FENCING_TOKEN > " + token + ".tmp && mv " + token + ".tmp " + token + "; " + then);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(token.getFileName() + ".log").toFile()).start();
    holders.add(p);
    return p;
  }

  @Test
  void aHolderKilledWithSigkillLosesTheLockAfterItsTtlAndNoTwoHoldersOverlap() throws Exception {
    cluster = ProcessCluster.create(dir, 3, "");
    cluster.up();
    cluster.awaitLeader(LIMIT, 1, 2, 3);

    Path first = dir.resolve("first.token");
    Process holder = lock("job", first, "sleep 600");
    ProcessCluster.await(LIMIT, "the first holder runs its command", () -> Files.exists(first));
    long firstToken = Long.parseLong(Files.readString(first).strip());

    long killed = System.nanoTime();
    holder.descendants().forEach(ProcessHandle::destroyForcibly); // its command, then the JVM that kept the lease alive
    holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

    Path second = dir.resolve("second.token");
    Process next = lock("job", second, "exit 0");
    ProcessCluster.await(LIMIT, "the second holder gets the lock", () -> Files.exists(second));
    long waitedMs = (System.nanoTime() - killed) / 1_000_000;
    long secondToken = Long.parseLong(Files.readString(second).strip());
    assertTrue(next.waitFor(30, TimeUnit.SECONDS), "the second holder's command ends and it releases the lock");
    assertEquals(0, next.exitValue());

    assertTrue(secondToken > firstToken, "fencing tokens grow: " + firstToken + " then " + secondToken);
    // The dead holder kept its lease alive every TTL/3: its lease ran out at least 2/3 TTL after the kill.
    assertTrue(waitedMs >= TTL.toMillis() * 2 / 3, "the lock changed hands " + waitedMs + " ms after the kill, before the lease could run out");
    System.out.printf("lock holder killed: the next holder got the lock %d ms later (TTL %d ms); tokens %d then %d%n",
        waitedMs, TTL.toMillis(), firstToken, secondToken);
  }
}
