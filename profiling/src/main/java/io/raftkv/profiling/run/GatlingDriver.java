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
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Consumer;

/** The load phases of a profiling run, as Gatling simulations in a JVM of their own. */
public final class GatlingDriver implements LoadDriver {
  private final GatlingOptions options;
  private final Optional<ClusterCredentials> credentials; // a secure cluster's, given to the simulation in its environment
  private final GatlingRunner runner = new GatlingRunner();

  private GatlingDriver(GatlingOptions options, Optional<ClusterCredentials> credentials) {
    this.options = options.validate();
    this.credentials = credentials;
  }

  /** The simulation that {@code settings} name, against {@code target}'s nodes, with its credentials when it is secure. */
  public static GatlingDriver of(ProfileSettings settings, LoadTarget target) {
    List<String> urls = target.urls();
    GatlingOptions o = GatlingOptions.defaults(settings.simulation())
        .withUsers(settings.users())
        .withRate(settings.rate() == null ? OptionalDouble.empty() : OptionalDouble.of(settings.rate()))
        .withOpsPerUser(settings.opsPerUser() == null ? OptionalInt.empty() : OptionalInt.of(settings.opsPerUser()))
        .withDuration(settings.duration())
        .withUrls(urls)
        .withKeySpace(settings.keySpace())
        .withValueSize(settings.valueSize() == null ? OptionalInt.empty() : OptionalInt.of(settings.valueSize()));
    return new GatlingDriver(o, target.credentials());
  }

  @Override
  public LoadResult run(String phase, Duration duration, Path reportDir, Consumer<String> progress) throws IOException {
    Path work = reportDir.resolveSibling("." + reportDir.getFileName() + "-work");
    GatlingRun run;
    try {
      run = runner.run(options.withDuration(duration), work, credentials.map(ClusterCredentials::environment).orElse(java.util.Map.of()),
          line -> progress.accept("  [" + phase + "] " + line));
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
