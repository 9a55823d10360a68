package io.raftkv.profiling.analysis;

/**
 * The seed's four bottleneck areas (docs/PROFILING.md, "Areas"), {@link #JVM_RUNTIME} for what the JVM
 * and the profilers spend beside raftkv's code, and {@link #OTHER} for raftkv's samples that belong to
 * none of the four. {@link AreaMapping} decides which area a stack belongs to.
 */
public enum Area {
  NETWORK_SERIALIZATION("network and serialization"),
  STORAGE_PERSISTENCE("storage and persistence"),
  CONCURRENCY("concurrency"),
  RAFT_STATE_MACHINE("Raft and the state machine"),
  /** JIT compilation, GC, safepoints and VM operations, JFR's and async-profiler's own work. */
  JVM_RUNTIME("JVM runtime"),
  OTHER("other");

  private final String label;

  Area(String label) {
    this.label = label;
  }

  /** Words for a report, e.g. "network and serialization". */
  public String label() {
    return label;
  }

  /**
   * Whether samples of this area are raftkv's own, the samples the four areas and other are shares of:
   * every area but the JVM runtime, which would run the same under any program.
   */
  public boolean raftkvOwn() {
    return this != JVM_RUNTIME;
  }
}
