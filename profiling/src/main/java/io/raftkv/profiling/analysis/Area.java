package io.raftkv.profiling.analysis;

/**
 * The seed's four bottleneck areas (docs/PROFILING.md, "Areas"), plus {@link #OTHER} for what belongs
 * to none of them. {@link AreaMapping} decides which area a stack belongs to.
 */
public enum Area {
  NETWORK_SERIALIZATION("network and serialization"),
  STORAGE_PERSISTENCE("storage and persistence"),
  CONCURRENCY("concurrency"),
  RAFT_STATE_MACHINE("Raft and the state machine"),
  OTHER("other");

  private final String label;

  Area(String label) {
    this.label = label;
  }

  /** Words for a report, e.g. "network and serialization". */
  public String label() {
    return label;
  }
}
