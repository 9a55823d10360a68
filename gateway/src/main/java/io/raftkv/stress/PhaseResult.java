package io.raftkv.stress;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * What one test did.
 *
 * @param workload    which test
 * @param planned     threads x operations per thread
 * @param ok          operations that succeeded
 * @param errors      operations that failed, by kind ("timeout", "unavailable", "rejected 413", ...)
 * @param elapsed     from its first operation to its last answer
 * @param latency     latencies of the successful operations, in microseconds
 * @param stopped     whether the run's time cap stopped it before every operation ran
 */
public record PhaseResult(
    Workload workload, long planned, long ok, Map<String, Long> errors, Duration elapsed, Histogram latency,
    boolean stopped) {

  public PhaseResult {
    errors = Map.copyOf(errors);
  }

  /** Operations that ran: ok plus errors. */
  public long operations() {
    return ok + errorCount();
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Successful operations per second. */
  public double throughput() {
    return elapsed.isZero() ? 0 : ok * 1e9 / elapsed.toNanos();
  }

  /**
   * The summary, for people:
   * <pre>
   * put test: 4 threads x 1000 ops
   *   operations  4000 (ok 4000, errors 0)
   *   elapsed     1282 ms
   *   throughput  3120.1 ops/s
   *   latency     p50 0.412 ms, p99 1.203 ms, p99.9 3.101 ms, max 5.203 ms
   * </pre>
   */
  public String summary(int threads) {
    StringBuilder sb = new StringBuilder();
    sb.append(workload.label()).append(" test: ").append(threads).append(" threads x ").append(planned / threads)
        .append(" ops\n");
    sb.append("  operations  ").append(operations());
    if (stopped) {
      sb.append(" of ").append(planned);
    }
    sb.append(" (ok ").append(ok).append(", errors ").append(errorCount());
    if (!errors.isEmpty()) {
      sb.append(": ").append(new java.util.TreeMap<>(errors).entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    }
    sb.append(')').append(stopped ? ", stopped by the --duration-max cap" : "").append('\n');
    sb.append("  elapsed     ").append(elapsed.toMillis()).append(" ms\n");
    sb.append("  throughput  ").append(String.format(Locale.ROOT, "%.1f", throughput())).append(" ops/s\n");
    sb.append("  latency     ");
    if (latency.getTotalCount() == 0) {
      sb.append("- (no successful operation)\n");
    } else {
      sb.append("p50 ").append(ms(latency.getValueAtPercentile(50))).append(", p99 ")
          .append(ms(latency.getValueAtPercentile(99))).append(", p99.9 ")
          .append(ms(latency.getValueAtPercentile(99.9))).append(", max ").append(ms(latency.getMaxValue()))
          .append('\n');
    }
    return sb.toString();
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
  }
}
