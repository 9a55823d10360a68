package io.raftkv.profiling.run;

import io.raftkv.profiling.load.GatlingOptions;
import io.raftkv.profiling.load.GatlingRun;
import io.raftkv.profiling.load.GatlingRunner;
import io.raftkv.profiling.load.GatlingStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Consumer;

/** The load phases of a profiling run, as Gatling simulations in a JVM of their own. */
public final class GatlingDriver implements LoadDriver {
  private final GatlingOptions options;
  private final GatlingRunner runner = new GatlingRunner();

  private GatlingDriver(GatlingOptions options) {
    this.options = options.validate();
  }

  /** The simulation that {@code settings} name, against {@code urls}. */
  public static GatlingDriver of(ProfileSettings settings, List<String> urls) {
    GatlingOptions o = GatlingOptions.defaults(settings.simulation())
        .withUsers(settings.users())
        .withRate(settings.rate() == null ? OptionalDouble.empty() : OptionalDouble.of(settings.rate()))
        .withOpsPerUser(settings.opsPerUser() == null ? OptionalInt.empty() : OptionalInt.of(settings.opsPerUser()))
        .withDuration(settings.duration())
        .withUrls(urls)
        .withKeySpace(settings.keySpace())
        .withValueSize(settings.valueSize() == null ? OptionalInt.empty() : OptionalInt.of(settings.valueSize()));
    return new GatlingDriver(o);
  }

  @Override
  public LoadResult run(String phase, Duration duration, Path reportDir, Consumer<String> progress) throws IOException {
    Path work = reportDir.resolveSibling("." + reportDir.getFileName() + "-work");
    GatlingRun run;
    try {
      run = runner.run(options.withDuration(duration), work, line -> progress.accept("  [" + phase + "] " + line));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during the " + phase + " phase", e);
    } catch (IllegalStateException e) {
      throw new IOException("the " + phase + " load phase failed: " + e.getMessage(), e);
    }
    // The report is the phase's folder itself (gatling/index.html), not a dated folder inside it.
    Files.move(run.reportDir(), reportDir);
    if (Files.isRegularFile(run.consoleLog())) Files.move(run.consoleLog(), reportDir.resolve(GatlingRunner.CONSOLE_LOG));
    Directories.deleteTree(work);
    GatlingStats.RequestStats g = run.stats().global();
    return new LoadResult(phase, reportDir, g.requests(), g.ko(), g.meanRequestsPerSecond(), g.p50Ms(), g.p95Ms(), g.p99Ms(), g.maxMs(),
        !run.assertionsFailed());
  }

}
