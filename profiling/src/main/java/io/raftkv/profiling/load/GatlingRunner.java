package io.raftkv.profiling.load;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a raftkv Gatling simulation in a JVM of its own:
 * {@code java <JVM_OPTIONS> -cp <root>/gatling/target/test-classes:<root/gatling/target/classpath.txt>
 * -D<settings> io.gatling.app.Gatling --simulation <class> --results-folder <resultsDir>
 * --run-description <description>}. It needs the Gatling module built ({@code mvn -B -DskipTests package}).
 *
 * <p>The child's console goes to {@code resultsDir/}{@value #CONSOLE_LOG} (overwritten by the next
 * run into the same folder), and each of its 5-second status blocks to {@code progress} as one line.
 * The child is killed (SIGTERM, then SIGKILL after 10 s) if it runs longer than {@link #bound}: the
 * duration plus the runner's grace (2 minutes by default, for JVM start, the simulation's own hard
 * stop 10 s after the duration, and report generation), plus 20 ms per key for the read-heavy pre-fill.
 * It is killed too if this JVM exits or the calling thread is interrupted.
 */
public final class GatlingRunner {
  /** Gatling's main class. */
  public static final String MAIN_CLASS = "io.gatling.app.Gatling";
  /** The console log written into the results folder. */
  public static final String CONSOLE_LOG = "gatling-console.log";
  /** The grace after the duration by default. */
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);
  /** Extra time allowed per key of the read-heavy simulation's pre-fill. */
  public static final Duration PREFILL_PER_KEY = Duration.ofMillis(20);
  /** How long a child asked to stop (SIGTERM) has before SIGKILL. */
  private static final Duration KILL_GRACE = Duration.ofSeconds(10);
  /**
   * The JVM options of the Gatling JVM: those gatling-maven-plugin 4.21 gives its forked JVM on
   * JDK 17 (-Xmx1G, heap dump on OOM, inlining limits Gatling is tuned for, the add-opens Netty uses).
   */
  public static final List<String> JVM_OPTIONS = List.of(
      "-Xmx1G", "-XX:+HeapDumpOnOutOfMemoryError", "-XX:MaxInlineLevel=20", "-XX:MaxTrivialSize=12",
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED");

  private static final Pattern REPORT = Pattern.compile("please open the following file: (file:\\S+)");

  private final Path root;
  private final Duration grace;

  /** A runner for the repository {@link RaftkvHome#root()}, with the default grace. */
  public GatlingRunner() {
    this(RaftkvHome.root(), DEFAULT_GRACE);
  }

  /** A runner for the repository at {@code root}, killing a run {@code grace} after its duration (plus any pre-fill allowance). */
  public GatlingRunner(Path root, Duration grace) {
    if (grace.isNegative()) throw new IllegalArgumentException("grace must not be negative, got " + grace);
    this.root = root.toAbsolutePath().normalize();
    this.grace = grace;
  }

  /** How long a run of {@code o} may take before it is killed. */
  public Duration bound(GatlingOptions o) {
    Duration bound = o.duration().plus(grace);
    if (o.simulation().equals("read-heavy")) bound = bound.plus(PREFILL_PER_KEY.multipliedBy(o.keySpace()));
    return bound;
  }

  /**
   * The Gatling JVM's command line for {@code o}, results under {@code resultsDir}.
   *
   * @throws IllegalStateException when the Gatling module has not been built
   */
  public List<String> command(GatlingOptions o, Path resultsDir) {
    o.validate();
    Path target = root.resolve("gatling/target");
    Path testClasses = target.resolve("test-classes");
    Path classpathFile = target.resolve("classpath.txt");
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(classpathFile + " is missing: the Gatling module is not built; run mvn -B -DskipTests package first (in " + root + ")");
    }
    Path simulationClass = testClasses.resolve(o.simulationClass().replace('.', '/') + ".class");
    if (!Files.isRegularFile(simulationClass)) {
      throw new IllegalStateException(simulationClass + " is missing: the Gatling simulations are not compiled; run mvn -B -DskipTests package first (in " + root + ")");
    }
    String classpath;
    try {
      classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + classpathFile, e);
    }
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.add("-XX:HeapDumpPath=" + resultsDir.toAbsolutePath());
    command.add("-cp");
    command.add(testClasses + (classpath.isEmpty() ? "" : java.io.File.pathSeparator + classpath));
    command.addAll(o.systemProperties());
    command.addAll(List.of(MAIN_CLASS,
        "--simulation", o.simulationClass(),
        "--results-folder", resultsDir.toAbsolutePath().toString(),
        "--run-description", o.describe()));
    return command;
  }

  /**
   * Runs {@code o} to the end and reads its report.
   *
   * @param resultsDir where Gatling writes its report folder (created if missing)
   * @param progress   receives one short line per Gatling status block (every 5 s), from another thread
   * @return the run, whether its assertions held or not ({@link GatlingRun#assertionsFailed()})
   * @throws IllegalArgumentException when {@code o} is not valid
   * @throws IllegalStateException    when the Gatling module is not built, Gatling failed without a
   *                                  report (e.g. a crash, the cluster unreachable in the pre-fill), or
   *                                  it overran its {@link #bound} and was killed
   * @throws IOException              when the report cannot be read
   * @throws InterruptedException     when interrupted (the child is killed)
   */
  public GatlingRun run(GatlingOptions o, Path resultsDir, Consumer<String> progress) throws IOException, InterruptedException {
    return run(o, resultsDir, Map.of(), progress);
  }

  /**
   * The same, with {@code environment} added to the Gatling JVM's: how a secure cluster's credentials
   * reach the simulation (RAFTKV_TOKEN, RAFTKV_CACERT), out of its command line and so out of {@code ps}.
   */
  public GatlingRun run(GatlingOptions o, Path resultsDir, Map<String, String> environment, Consumer<String> progress)
      throws IOException, InterruptedException {
    List<String> command = command(o, resultsDir);
    Files.createDirectories(resultsDir);
    Set<Path> before = reportDirs(resultsDir);
    Path consoleLog = resultsDir.resolve(CONSOLE_LOG);
    Duration bound = bound(o);

    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process child = builder
        .directory(resultsDir.toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    Thread killOnExit = new Thread(() -> kill(child), "gatling-runner-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    Console console = new Console(child, consoleLog, progress);
    Thread reader = new Thread(console, "gatling-console-" + child.pid());
    reader.setDaemon(true);
    reader.start();
    try {
      if (!child.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(child);
        reader.join(KILL_GRACE.toMillis());
        throw new IllegalStateException("Gatling ran longer than " + bound.toSeconds() + " s (duration " + o.duration().toSeconds()
            + " s + grace) and was killed; its output is in " + consoleLog);
      }
      reader.join(KILL_GRACE.toMillis());
    } catch (InterruptedException e) {
      kill(child);
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
      } catch (IllegalStateException e) {
        // this JVM is exiting: the hook runs anyway
      }
    }
    if (console.failure != null) throw new IOException("cannot write " + consoleLog, console.failure);

    int exitCode = child.exitValue();
    Optional<Path> reportDir = console.reportDir.filter(d -> Files.isRegularFile(d.resolve("index.html")))
        .or(() -> newReportDir(resultsDir, before));
    if ((exitCode != GatlingRun.SUCCESS && exitCode != GatlingRun.ASSERTIONS_FAILED) || reportDir.isEmpty()) {
      throw new IllegalStateException("Gatling failed (exit code " + exitCode + (reportDir.isEmpty() ? ", no report" : "")
          + "):\n  " + String.join("\n  ", console.tail()) + "\nits whole output is in " + consoleLog);
    }
    GatlingStats stats = GatlingStats.fromReport(reportDir.get());
    stats.write(reportDir.get().resolve(GatlingStats.JSON_FILE));
    return new GatlingRun(exitCode, reportDir.get(), stats, consoleLog);
  }

  /** SIGTERM to the child (and anything it started), SIGKILL after {@link #KILL_GRACE}. */
  private static void kill(Process child) {
    if (!child.isAlive()) return;
    child.descendants().forEach(ProcessHandle::destroy);
    child.destroy();
    try {
      if (!child.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        child.descendants().forEach(ProcessHandle::destroyForcibly);
        child.destroyForcibly();
        child.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Set<Path> reportDirs(Path resultsDir) throws IOException {
    try (Stream<Path> dirs = Files.list(resultsDir)) {
      return new HashSet<>(dirs.filter(d -> Files.isRegularFile(d.resolve("index.html"))).toList());
    }
  }

  /** The report folder that appeared during the run (the newest, should there be several). */
  private static Optional<Path> newReportDir(Path resultsDir, Set<Path> before) {
    try {
      Set<Path> after = reportDirs(resultsDir);
      after.removeAll(before);
      return after.stream().max(java.util.Comparator.comparing(d -> d.getFileName().toString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Copies the child's output to the console log, turns status blocks into progress lines, remembers the report path and the last lines. */
  private static final class Console implements Runnable {
    private static final int TAIL = 20;
    private final Process child;
    private final Path log;
    private final Consumer<String> progress;
    private final GatlingProgress blocks = new GatlingProgress();
    private final Deque<String> tail = new ArrayDeque<>();
    volatile Optional<Path> reportDir = Optional.empty();
    volatile IOException failure;

    Console(Process child, Path log, Consumer<String> progress) {
      this.child = child;
      this.log = log;
      this.progress = progress;
    }

    @Override
    public void run() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
           BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          out.write(line);
          out.newLine();
          Matcher m = REPORT.matcher(line);
          if (m.find()) reportDir = Optional.of(Path.of(java.net.URI.create(m.group(1))).getParent());
          if (!line.isBlank() && !line.startsWith("\tat ") && !line.startsWith("\t...")) {
            synchronized (tail) {
              tail.addLast(line);
              if (tail.size() > TAIL) tail.removeFirst();
            }
          }
          blocks.line(line).ifPresent(summary -> {
            try {
              progress.accept(summary);
            } catch (RuntimeException e) {
              // a failing listener must not stop the copying (the child would block on a full pipe)
            }
          });
        }
      } catch (IOException e) {
        failure = e;
        drain();
      }
    }

    /** Reads the rest of the child's output so that it never blocks on a full pipe. */
    private void drain() {
      try {
        child.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      } catch (IOException ignored) {
        // the child is gone
      }
    }

    List<String> tail() {
      synchronized (tail) {
        return List.copyOf(tail);
      }
    }
  }
}
