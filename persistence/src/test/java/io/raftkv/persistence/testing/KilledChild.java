package io.raftkv.persistence.testing;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs a main class in a child JVM on this test's class path, reads what it prints, kills it with
 * SIGKILL once it has printed enough acknowledgements, and returns every acknowledgement it printed
 * before it died (those still in the pipe included): what the crash tests then look for on disk.
 */
public final class KilledChild {
  /** Exit value Java reports for a process killed by signal 9 (128 + 9). */
  public static final int KILLED_BY_SIGKILL = 137;
  /** Bounds waiting for the killed child to be reaped and its stdout to close. */
  private static final Duration REAP_DEADLINE = Duration.ofSeconds(30);
  private static final String EOF = "\u0000end of child stdout";

  private KilledChild() {}

  /**
   * @param ackPrefix the prefix of the lines that are acknowledgements; other lines are ignored
   * @param acksBeforeKill how many acknowledgements to see before the kill, so it lands mid-stream
   * @param deadline bounds JVM start and the first acknowledgements on a busy machine (a hang, not a speed test)
   * @return the acknowledgements, prefix removed, in the order printed
   */
  public static List<String> runUntilKilled(Class<?> main, List<String> args, List<String> jvmOptions, Path stderr,
      String ackPrefix, int acksBeforeKill, Duration deadline) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    Thread pump = new Thread(() -> pump(child, stdout), main.getSimpleName() + "-stdout");
    pump.setDaemon(true);
    pump.start();

    List<String> acks = new ArrayList<>();
    try {
      Instant until = Instant.now().plus(deadline);
      while (acks.size() < acksBeforeKill) {
        String line = stdout.poll(millisUntil(until), MILLISECONDS);
        if (line == null || line.equals(EOF)) {
          String why = line == null ? "deadline " + deadline + " passed" : "child exited";
          fail(why + " after " + acks.size() + " of " + acksBeforeKill + " acks; child stderr:\n" + Files.readString(stderr));
        }
        collect(line, ackPrefix, acks);
      }
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux; never leave it running, whatever failed
    }
    assertTrue(child.waitFor(REAP_DEADLINE.toMillis(), MILLISECONDS), "killed child not reaped");
    assertEquals(KILLED_BY_SIGKILL, child.exitValue(), "the child must die by SIGKILL");
    // Whatever is still in the pipe was printed before the kill: acknowledgements too.
    Instant until = Instant.now().plus(REAP_DEADLINE);
    for (String line; !EOF.equals(line = stdout.poll(millisUntil(until), MILLISECONDS)); ) {
      if (line == null) fail("child stdout did not close after the kill");
      collect(line, ackPrefix, acks);
    }
    return acks;
  }

  private static void collect(String line, String prefix, List<String> acks) {
    if (line.startsWith(prefix)) acks.add(line.substring(prefix.length()).trim());
  }

  private static void pump(Process child, BlockingQueue<String> lines) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) lines.add(line);
    } catch (IOException e) {
      // The stream is closed under us when the child dies; EOF says so either way.
    } finally {
      lines.add(EOF);
    }
  }

  private static long millisUntil(Instant deadline) {
    return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
  }
}
