package io.raftkv.profiling.analysis;

import java.util.List;

/**
 * CPU samples ({@code jdk.ExecutionSample}, from the JDK's sampler or async-profiler's cpu/itimer/ctimer).
 *
 * @param samples all samples
 * @param ownSamples raftkv's own samples: all but the JVM runtime's ({@link Area#raftkvOwn()})
 * @param areas the samples per area, every area in {@link Area}'s order
 * @param topSelf frames by self samples (the frame was running)
 * @param topTotal frames by total samples (the frame was on the stack; counted once per sample)
 * @param topSelfOwn frames by self samples among raftkv's own samples, as shares of those
 * @param topThreads threads by samples
 */
public record CpuReport(long samples, long ownSamples, List<AreaShare> areas, List<Share> topSelf,
                        List<Share> topTotal, List<Share> topSelfOwn, List<Share> topThreads) {}
