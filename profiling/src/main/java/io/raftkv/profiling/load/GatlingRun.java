package io.raftkv.profiling.load;

import java.nio.file.Path;

/**
 * What one Gatling run left behind.
 *
 * @param exitCode   Gatling's exit code: {@value #SUCCESS} all assertions held, {@value #ASSERTIONS_FAILED}
 *                   an assertion failed (e.g. more failed requests than {@code maxFailedPct}); the runner
 *                   throws for any other code, since then there is no report
 * @param reportDir  the report folder (holding {@code index.html}, {@code simulation.log} and
 *                   {@value GatlingStats#JSON_FILE})
 * @param stats      the run's statistics, read from the report
 * @param consoleLog Gatling's console output, whole
 */
public record GatlingRun(int exitCode, Path reportDir, GatlingStats stats, Path consoleLog) {
  /** Gatling's exit code when the run completed and its assertions held. */
  public static final int SUCCESS = 0;
  /** Gatling's exit code when the run completed but an assertion failed. */
  public static final int ASSERTIONS_FAILED = 2;

  /** The report's main page. */
  public Path indexHtml() {
    return reportDir.resolve("index.html");
  }

  /** True when an assertion failed (exit code {@value #ASSERTIONS_FAILED}). */
  public boolean assertionsFailed() {
    return exitCode == ASSERTIONS_FAILED;
  }

  /** True when the run completed and its assertions held. */
  public boolean succeeded() {
    return exitCode == SUCCESS;
  }
}
