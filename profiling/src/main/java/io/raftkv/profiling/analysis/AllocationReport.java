package io.raftkv.profiling.analysis;

import java.util.List;

/**
 * Sampled allocations. {@code source} names the events used: the JDK's throttled
 * {@code jdk.ObjectAllocationSample} (weighted) when the recording has any, else the TLAB events
 * ({@code jdk.ObjectAllocationInNewTLAB} and {@code jdk.ObjectAllocationOutsideTLAB}, which
 * async-profiler's alloc mode writes); a JDK "profile" recording has both, and both describe the same
 * allocations, so they are never added together. Bytes are what the samples stand for (async-profiler's
 * convention: {@code tlabSize} when set, else {@code allocationSize}), an estimate, not an exact count.
 *
 * @param topSites the leaf-most {@code io.raftkv.} frame of each stack, or its top frame, by bytes
 * @param topClasses allocated classes by bytes
 */
public record AllocationReport(String source, long events, long bytes, List<Share> topSites,
                               List<Share> topClasses) {}
