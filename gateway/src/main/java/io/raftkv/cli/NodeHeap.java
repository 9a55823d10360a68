package io.raftkv.cli;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The maximum heap {@code raftkv up} gives each node: enough for a key-value state at its space
 * quota, by the formula of docs/OPERATIONS.md ("How much heap a node needs for N bytes of state"),
 * and at most what this machine's memory leaves each of the nodes it runs.
 *
 * <pre>
 * live   = quota x (1 + KEY_OVERHEAD / ENTRY_TYPICAL)          the map: each key costs its bytes plus the overhead
 *        + log x (1 + KEY_OVERHEAD / ENTRY_TYPICAL)            the Raft log kept in memory since the last snapshot:
 *          log = min(snapshotLogBytesMax, snapshotEntriesMax x ENTRY_TYPICAL)   a snapshot is taken by then
 *        + BASE_LIVE                                            Pekko, the gateway, sessions, queues
 * needed = max(FLOOR, GC_HEADROOM x live)                       the parallel collector's full collections want room
 * cap    = (machine - MACHINE_RESERVE) / nodes - NON_HEAP       each JVM also has metaspace, code, stacks, direct buffers
 * heap   = min(needed, cap), at least CAP_FLOOR
 * young  = at most a third of FLOOR (YOUNG_MAX): a larger heap is for the state, in the old generation
 * </pre>
 *
 * @param quotaBytes  {@code raftkv.kv.quota-bytes}
 * @param neededBytes what the formula asks for a state at the quota
 * @param capBytes    what the machine leaves each node
 * @param heapBytes   what the node gets: {@code -Xmx}
 * @param nodes       the nodes this machine runs
 * @param machineBytes the machine's (or container's) memory
 */
public record NodeHeap(long quotaBytes, long neededBytes, long capBytes, long heapBytes, int nodes, long machineBytes) {
  static final long MIB = 1L << 20;
  /**
   * Heap per key beyond its key and value bytes: 128.3 bytes measured with 1 KiB values, 138.8 with 100-byte
   * values (the skip list's node and index levels, the version record, the String and the arrays'
   * headers and padding; benchmarks' StateHeapMeasurement), rounded up.
   */
  static final long KEY_OVERHEAD_BYTES = 144;
  /** The entry the formula assumes: a 16-byte key and a 1 KiB value (2,000,000 of them fill the default 2 GiB quota). */
  static final long ENTRY_TYPICAL_BYTES = 16 + 1024;
  /** What a node holds beside its data. */
  static final long BASE_LIVE_BYTES = 256 * MIB;
  /** The parallel collector compacts in place but wants the heap about twice the live data to collect rarely. */
  static final int GC_HEADROOM = 2;
  /** No node gets less than nodes had before the quota sized them: the small-quota case is as it was. */
  static final long FLOOR_BYTES = 1024 * MIB;
  /** Left to the operating system and its page cache (RocksDB reads through it). */
  static final long MACHINE_RESERVE_BYTES = 1024 * MIB;
  /** Per node JVM outside the heap: ~62 MiB of class metadata, code cache, thread stacks, Artery's and RocksDB's native buffers. */
  static final long NON_HEAP_BYTES = 512 * MIB;
  /**
   * The young generation at most: what the parallel collector gives it by default in the 1 GiB heap
   * whose pauses docs/PERFORMANCE.md measured (a third). A larger heap then grows the old generation,
   * where the state lives, while young collections stay as they were measured; left alone, the
   * collector's throughput goal would grow the young generation with the heap and the nodes' resident
   * memory with it, whatever the state.
   */
  static final long YOUNG_MAX_BYTES = FLOOR_BYTES / 3 / MIB * MIB;
  /** The least a cap leaves a node, however small the machine. */
  static final long CAP_FLOOR_BYTES = 256 * MIB;

  /**
   * The heap for nodes with {@code quotaBytes}, whose log is snapshotted after
   * {@code snapshotEntriesMax} entries, or once it holds as many bytes as the last snapshot (about
   * the state, so at most about the quota) within {@code snapshotLogBytesMin..snapshotLogBytesMax}
   * ({@code raftkv.raft.snapshot-entries-max}, {@code snapshot-log-bytes-min}, {@code snapshot-log-bytes-max}),
   * {@code nodes} of them on a machine of {@code machineBytes}.
   */
  public static NodeHeap derive(long quotaBytes, int snapshotEntriesMax, long snapshotLogBytesMin, long snapshotLogBytesMax, int nodes,
      long machineBytes) {
    if (quotaBytes < 1 || snapshotEntriesMax < 1 || snapshotLogBytesMin < 1 || snapshotLogBytesMax < 1 || nodes < 1 || machineBytes < 1) {
      throw new IllegalArgumentException("quota, snapshot entries and bytes, nodes and machine memory must be positive: " + quotaBytes
          + ", " + snapshotEntriesMax + ", " + snapshotLogBytesMin + ", " + snapshotLogBytesMax + ", " + nodes + ", " + machineBytes);
    }
    double perByte = 1 + (double) KEY_OVERHEAD_BYTES / ENTRY_TYPICAL_BYTES;
    long logBytes = Math.min(Math.min(snapshotLogBytesMax, Math.max(snapshotLogBytesMin, quotaBytes)),
        (long) snapshotEntriesMax * ENTRY_TYPICAL_BYTES);
    double live = quotaBytes * perByte + logBytes * perByte + BASE_LIVE_BYTES;
    long needed = roundUpToMib(Math.max(FLOOR_BYTES, GC_HEADROOM * live));
    long cap = Math.max(CAP_FLOOR_BYTES, (machineBytes - MACHINE_RESERVE_BYTES) / nodes - NON_HEAP_BYTES) / MIB * MIB;
    return new NodeHeap(quotaBytes, needed, cap, Math.min(needed, cap), nodes, machineBytes);
  }

  /** This machine's memory (a container's limit inside one), as the JVM sees it. */
  public static long physicalMemoryBytes() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
  }

  private static long roundUpToMib(double bytes) {
    return (long) Math.ceil(bytes / MIB) * MIB;
  }

  /** Whether the machine gives less than the formula asks. */
  public boolean capped() {
    return heapBytes < neededBytes;
  }

  /** The JVM option: {@code -Xmx<MiB>m}. */
  public String xmx() {
    return "-Xmx" + heapBytes / MIB + "m";
  }

  /** The JVM option bounding the young generation: {@code -XX:MaxNewSize=<MiB>m}, at most a third of the heap. */
  public String maxNewSize() {
    return "-XX:MaxNewSize=" + Math.min(YOUNG_MAX_BYTES, heapBytes / 3) / MIB + "m";
  }

  /** One line for {@code raftkv up}: what each node gets and why. */
  public String summary() {
    return String.format(Locale.ROOT, "node heap: %s each (raftkv.kv.quota-bytes = %s; docs/OPERATIONS.md, \"How much heap a node needs\")",
        xmx(), StatusCommand.size(quotaBytes));
  }

  /** The warning when {@link #capped()}: the state may not fit, and what to do. */
  public String warning() {
    return String.format(Locale.ROOT, "warning: a state at raftkv.kv.quota-bytes = %s needs about %d MiB of heap per node, but this machine's "
            + "%d MiB leave each of its %d nodes %d MiB: a node whose state nears the quota may run out of memory. Lower "
            + "raftkv.kv.quota-bytes, run fewer nodes on this machine, or set %s (docs/OPERATIONS.md, \"How much heap a node needs\")",
        StatusCommand.size(quotaBytes), neededBytes / MIB, machineBytes / MIB, nodes, heapBytes / MIB, LocalCluster.NODE_JAVA_OPTS);
  }
}
