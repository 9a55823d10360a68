package io.raftkv.profiling.run;

import java.nio.file.Path;

/**
 * What one load phase measured at the client: Gatling's figures over every request of the phase.
 *
 * @param phase {@code unrecorded}, {@code recorded}, or an extra event's name
 * @param reportDir the phase's HTML report (its {@code index.html})
 * @param assertionsPassed whether the simulation's assertions on failed requests held
 */
public record LoadResult(String phase, Path reportDir, long requests, long failed, double throughputPerSec,
                         double p50Ms, double p95Ms, double p99Ms, double maxMs, boolean assertionsPassed) {}
