package io.raftkv.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps the benchmarks compiling and running: each class goes through the JMH Runner in this JVM
 * (no fork), one warm-up and one measurement iteration of 100 ms, and every benchmark and parameter
 * combination must produce a positive score. The figures themselves mean nothing here.
 */
class BenchmarksRunTest {

  @ParameterizedTest
  @ValueSource(classes = {SerializerBenchmark.class, LogAppendBenchmark.class, StateMachineBenchmark.class, CheckerBenchmark.class})
  void everyBenchmarkRunsAndScores(Class<?> benchmarkClass) throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include("^" + Pattern.quote(benchmarkClass.getName() + "."))
            .forks(0)
            .warmupIterations(1)
            .warmupTime(TimeValue.milliseconds(100))
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results = new Runner(options).run();

    assertEquals(expectedRuns(benchmarkClass), results.size(), "benchmark x parameter runs of " + benchmarkClass.getSimpleName());
    for (RunResult result : results) {
      double score = result.getPrimaryResult().getScore();
      assertTrue(score > 0 && Double.isFinite(score), result.getParams().getBenchmark() + " " + result.getParams() + " scored " + score);
    }
  }

  /** Each benchmark method times its parameter combinations; a missing one means it did not run. */
  private static int expectedRuns(Class<?> benchmarkClass) {
    if (benchmarkClass == SerializerBenchmark.class) return 2 + 1 + 1; // appendEntries x 2 batches, result, propose
    if (benchmarkClass == LogAppendBenchmark.class) return 2 * 2; // batch size x fsync
    if (benchmarkClass == StateMachineBenchmark.class) return 2 + 1 + 2; // put x sessions, get, deleteThenPut x sessions
    return 2; // checker: 1 and 4 keys
  }
}
