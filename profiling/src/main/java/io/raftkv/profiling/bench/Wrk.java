package io.raftkv.profiling.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs wrk, the load generator both systems get: C, an event loop per thread, so it takes little of
 * the two cores the servers share, and the same binary sends the same requests to both.
 */
public final class Wrk {
  /** A request that takes longer than this counts as a timeout, not a latency. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** How long past its duration a wrk run may take (starting, formatting requests, closing) before it is killed. */
  public static final Duration EXIT_GRACE = Duration.ofSeconds(30);
  /** wrk's threads: one per core of this machine's two, or one for a single connection. */
  static final int MAX_THREADS = 2;

  private final String binary;

  public Wrk(String binary) {
    this.binary = binary;
  }

  /** The command line of one run. */
  List<String> command(URI url, int connections, Path script, Duration duration) {
    int threads = Math.min(connections, MAX_THREADS);
    return List.of(binary, "-t" + threads, "-c" + connections, "-d" + Math.max(1, duration.toSeconds()) + "s",
        "--timeout", REQUEST_TIMEOUT.toSeconds() + "s", "-s", script.toString(), url.toString());
  }

  /** Drives {@code url} with {@code connections} for {@code duration} as {@code script} says. */
  public WrkResult run(URI url, int connections, Path script, Duration duration) throws IOException {
    Path out = Files.createTempFile(script.getParent(), "wrk-", ".out");
    try {
      Process p = new ProcessBuilder(command(url, connections, script, duration)).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      try {
        if (!p.waitFor(duration.plus(EXIT_GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IOException("wrk ran " + EXIT_GRACE.toSeconds() + " s past its " + duration.toSeconds() + " s and was killed");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while wrk ran", e);
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) throw new IOException("wrk exited " + p.exitValue() + ":\n" + text);
      return WrkResult.parse(text);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
