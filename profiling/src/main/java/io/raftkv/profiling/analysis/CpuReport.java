package io.raftkv.profiling.analysis;

import java.util.List;

/**
 * CPU samples ({@code jdk.ExecutionSample}, from the JDK's sampler or async-profiler's cpu/itimer/ctimer).
 *
 * @param samples all samples
 * @param areas the samples per area, every area in {@link Area}'s order
 * @param topSelf frames by self samples (the frame was running)
 * @param topTotal frames by total samples (the frame was on the stack; counted once per sample)
 * @param topThreads threads by samples
 */
public record CpuReport(long samples, List<AreaShare> areas, List<Share> topSelf, List<Share> topTotal,
                        List<Share> topThreads) {}
