package io.raftkv.kv.sim;

import io.raftkv.check.CheckResult;
import io.raftkv.check.LinearizabilityChecker;
import io.raftkv.check.Operation;
import io.raftkv.check.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The client history of a simulated run. Times are a logical clock that ticks at every invocation
 * and every observed completion, in the order the harness sees them: an operation that returned
 * before another was invoked gets the smaller time, and anything the harness cannot order stays
 * concurrent, which only makes the check more permissive, never wrong.
 */
public final class KvHistory {
  private final List<Operation> operations = new ArrayList<>();
  private long clock;

  long now() {
    return ++clock;
  }

  void add(Operation op) {
    operations.add(op);
  }

  public List<Operation> operations() {
    return List.copyOf(operations);
  }

  public int size() {
    return operations.size();
  }

  /** Checks the history; fails the test with the smallest failing key's history if it is not linearizable. */
  public CheckResult assertLinearizable(long seed) {
    CheckResult result = new LinearizabilityChecker(1).check(operations, Duration.ofSeconds(20));
    if (result.verdict() == Verdict.NOT_LINEARIZABLE) {
      throw new AssertionError("history of seed " + seed + " is not linearizable:\n" + result.describe());
    }
    return result;
  }
}
