package io.raftkv.profiling.analysis;

import java.util.List;

/**
 * Lock contention: {@code jdk.JavaMonitorEnter} (blocked entering a {@code synchronized} block) by
 * monitor class, and {@code jdk.ThreadPark} (parked in {@code LockSupport.park}: j.u.c. locks, queues,
 * idle pool threads) by the class of the object parked on. Both recorders have thresholds (the JDK's
 * "profile" settings: 10 ms; async-profiler's lock mode samples by duration), so short waits are missing.
 */
public record LockReport(long monitorEvents, double monitorTotalMs, List<Contention> monitors,
                         long parkEvents, double parkTotalMs, List<Contention> parks) {}
