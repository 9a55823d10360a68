package io.raftkv.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every benchmark class inherits (JMH reads these annotations through superclasses): average
 * time per operation, one fork, 3 × 1 s of warm-up and 5 × 1 s of measurement, so that a full run
 * of all benchmarks takes a few minutes. The command line overrides them ({@code -f -wi -i -w -r}).
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class BenchmarkDefaults {}
