package io.raftkv.benchmarks;

import io.raftkv.check.CheckResult;
import io.raftkv.check.KvModel;
import io.raftkv.check.LinearizabilityChecker;
import io.raftkv.check.OpType;
import io.raftkv.check.Operation;
import io.raftkv.check.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What it measures: {@link LinearizabilityChecker#check} on one thread, on a valid history of
 * {@value #PROCESSES} processes × {@value #OPS_PER_PROCESS} operations (get, put, append, cas)
 * over 1 or 4 keys. The history is made by simulating a correct store: each operation is invoked,
 * takes effect on a sequential map at a later step, and returns at a still later one, while the other
 * processes' steps interleave at random, so up to four intervals overlap on a key.
 *
 * <p>Why it matters: every fault campaign and every {@code check-history} run ends with this
 * check, and the search is exponential in the overlap on one key; one key of 800 operations is the
 * harder case, four keys of about 200 each the easier one.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class CheckerBenchmark extends BenchmarkDefaults {
  static final int PROCESSES = 4;
  static final int OPS_PER_PROCESS = 200;

  @Param({"1", "4"})
  public int keys;

  private List<Operation> history;
  private final LinearizabilityChecker checker = new LinearizabilityChecker(1);

  @Setup(Level.Trial)
  public void generate() {
    history = validHistory(new SplittableRandom(5), keys);
    CheckResult result = checker.check(history);
    if (result.verdict() != Verdict.LINEARIZABLE) {
      throw new IllegalStateException("the generated history should be linearizable: " + result.describe());
    }
  }

  @Benchmark
  public CheckResult check() {
    return checker.check(history);
  }

  /** Where a process is in its current operation. */
  private enum Phase { IDLE, INVOKED, APPLIED }

  /** A linearizable history: every operation takes effect on {@code store} between its invoke and return. */
  static List<Operation> validHistory(SplittableRandom random, int keys) {
    Map<String, String> store = new HashMap<>();
    Phase[] phase = new Phase[PROCESSES];
    Operation[] current = new Operation[PROCESSES];
    int[] done = new int[PROCESSES];
    Arrays.fill(phase, Phase.IDLE);
    List<Operation> history = new ArrayList<>(PROCESSES * OPS_PER_PROCESS);
    long time = 0;
    while (history.size() < PROCESSES * OPS_PER_PROCESS) {
      int p = random.nextInt(PROCESSES);
      time++;
      switch (phase[p]) {
        case IDLE -> {
          if (done[p] < OPS_PER_PROCESS) {
            current[p] = invoke(random, p, done[p], "k" + random.nextInt(keys), store, time);
            phase[p] = Phase.INVOKED;
          }
        }
        case INVOKED -> {
          current[p] = takeEffect(current[p], store);
          phase[p] = Phase.APPLIED;
        }
        case APPLIED -> {
          Operation op = current[p];
          history.add(new Operation(op.process(), op.f(), op.key(), op.value(), op.expected(), op.invokeTime(), time,
              op.outcome(), op.read()));
          done[p]++;
          phase[p] = Phase.IDLE;
        }
      }
    }
    return history;
  }

  /** A new operation of process {@code p}; its return time is set when it returns. */
  private static Operation invoke(SplittableRandom random, int p, int n, String key, Map<String, String> store, long time) {
    String value = "p" + p + "." + n + ";"; // unique: a read tells which write it saw
    int dice = random.nextInt(100);
    if (dice < 40) return Operation.get(p, key, null, time, time);
    if (dice < 70) return Operation.put(p, key, value, time, time);
    if (dice < 85) return Operation.append(p, key, value, time, time);
    // expects what it sees now, which another process may change before it takes effect
    return Operation.cas(p, key, store.get(key), value, time, time);
  }

  /** Applies {@code op} to the store and returns it with what it observed (a cas that lost is FAIL). */
  private static Operation takeEffect(Operation op, Map<String, String> store) {
    String state = store.get(op.key());
    if (op.f() == OpType.GET) return op.withRead(state);
    if (!KvModel.isLegal(state, op)) return op.failed();
    String next = KvModel.apply(state, op);
    if (next == null) store.remove(op.key());
    else store.put(op.key(), next);
    return op;
  }
}
