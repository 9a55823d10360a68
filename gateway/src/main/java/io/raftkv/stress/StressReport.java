package io.raftkv.stress;

import java.util.List;

/**
 * What a stress run did: one result per test that ran, in order.
 *
 * @param phases the tests' results (the mixed test is missing when the time cap ended the run first)
 */
public record StressReport(List<PhaseResult> phases) {
  public StressReport {
    phases = List.copyOf(phases);
  }

  /** Whether the time cap ended the run before every planned operation ran. */
  public boolean stoppedEarly() {
    return phases.size() < Workload.values().length || phases.stream().anyMatch(PhaseResult::stopped);
  }

  /** Successful operations over all tests. */
  public long ok() {
    return phases.stream().mapToLong(PhaseResult::ok).sum();
  }

  /** Failed operations over all tests. */
  public long errors() {
    return phases.stream().mapToLong(PhaseResult::errorCount).sum();
  }
}
