package io.raftkv.profiling.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import one.profiler.AsyncProfilerLoader;

/**
 * async-profiler's command-line tool, {@code asprof}, as ap-loader bundles it: attaches to a running
 * JVM by pid. Run as a child process (not through ap-loader's Java wrapper) so that its exit code and
 * error output are ours to report, and so a hung attach is bounded by a timeout.
 */
public final class Asprof {
  /** How long one asprof call may take; attaching to a busy JVM takes about a second. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final Path binary;

  private Asprof(Path binary) {
    this.binary = binary;
  }

  /** Extracts asprof (once per machine, under ap-loader's directory) and returns it. */
  public static Asprof extract() throws IOException {
    if (!AsyncProfilerLoader.isSupported()) {
      throw new IOException("async-profiler does not support this platform (" + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")");
    }
    AsyncProfilerLoader.executeProfiler("--version"); // extracts the binary and the library
    Path bin = AsyncProfilerLoader.getExtractionDirectory().resolve("bin");
    try (Stream<Path> files = Files.list(bin)) {
      Path asprof = files.filter(p -> p.getFileName().toString().startsWith("asprof")).findFirst()
          .orElseThrow(() -> new IOException("ap-loader extracted no asprof under " + bin));
      return new Asprof(asprof);
    }
  }

  /** The result of one call: the exit code and what it printed. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** The first error line asprof printed, for a one-line note. */
    public String error() {
      for (String line : (stderr + "\n" + stdout).split("\n")) {
        if (line.startsWith("[ERROR]")) return line.substring("[ERROR]".length()).trim();
      }
      String all = (stderr + " " + stdout).strip();
      return all.isEmpty() ? "asprof exited with " + exitCode : all.lines().reduce((a, b) -> b).orElse(all);
    }
  }

  /** Runs {@code asprof ACTION OPTIONS PID}. */
  public Result run(String action, List<String> options, long pid) throws IOException {
    List<String> command = new ArrayList<>(List.of(binary.toString(), action));
    command.addAll(options);
    command.add(Long.toString(pid));
    Path out = Files.createTempFile("asprof", ".out");
    Path err = Files.createTempFile("asprof", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      boolean done = p.waitFor(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        p.destroyForcibly();
        return new Result(-1, "", "asprof " + action + " did not finish within " + CALL_TIMEOUT.toSeconds() + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running asprof " + action, e);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
