package io.raftkv.profiling.analysis;

import java.util.List;

/**
 * Garbage collection. {@code source} is {@code jdk.GarbageCollection} (pauses summed per collection)
 * when the recording has it, else {@code jdk.GCPhasePause} (collections = distinct GC ids), else "none".
 *
 * @param maxHeapAfterGcBytes the largest heap in use after a collection ({@code jdk.GCHeapSummary}), null if unknown
 * @param byCollector collections per collector name (G1New, G1Old, ...)
 */
public record GcReport(String source, long collections, double totalPauseMs, double maxPauseMs,
                       Long maxHeapAfterGcBytes, List<Share> byCollector) {}
