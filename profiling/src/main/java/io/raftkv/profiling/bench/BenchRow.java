package io.raftkv.profiling.bench;

import java.util.List;

/**
 * One measured run: a workload against one system. Throughput counts successful requests per
 * second; latencies are wrk's, in milliseconds; {@code rssMb} is each node's resident memory right
 * after the run, in node order; {@code errors} counts failed requests of every kind.
 */
public record BenchRow(String workload, String system, double throughput, double p50Ms, double p99Ms, List<Double> rssMb,
    long requests, long errors) {
  public BenchRow {
    rssMb = List.copyOf(rssMb);
  }

  static BenchRow of(Workload workload, String system, WrkResult r, List<Double> rssMb) {
    return new BenchRow(workload.name(), system, r.throughput(), r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, rssMb,
        r.requests(), r.errors());
  }
}
