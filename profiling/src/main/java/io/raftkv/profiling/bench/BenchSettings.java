package io.raftkv.profiling.bench;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one {@code raftkv bench} run does. {@code duration} is each measured run's length and
 * {@code warmup} the unmeasured run before it (same workload, same system); {@code keys} is the
 * pre-filled key space, each key {@link #KEY_BYTES} bytes with a value of {@code valueBytes};
 * {@code doc} is the Markdown file the table goes into, if any. With {@code oneAtATime} each system
 * runs alone (raftkv, then etcd) instead of both throughout: for data that both could not hold in
 * this machine's memory at once; with {@code keepRaftkvData} raftkv's data directory outlives the run.
 * With {@code secure} a third system runs too: raftkv with TLS between its nodes, HTTPS and API
 * tokens ({@code raftkv up --secure}), its ports those of the cluster file moved by {@link #SECURE_PORT_OFFSET}.
 */
public record BenchSettings(List<Workload> workloads, Duration duration, Duration warmup, int keys, int valueBytes, long seed,
    Path clusterFile, Path configFile, Path runDir, Optional<Path> json, Optional<Path> doc, String commandLine, boolean oneAtATime,
    boolean keepRaftkvData, boolean secure) {
  /** How far the secure cluster's ports are from the cluster file's, where the plain cluster runs. */
  public static final int SECURE_PORT_OFFSET = 100;
  /**
   * The most keys a run pre-fills. Each wrk thread holds every key (about 56 bytes each in LuaJIT,
   * whose heap lives in the process's lower 2 GiB), and the pre-fill writes them one request each.
   */
  public static final int MAX_KEYS = 4_000_000;
  /** The largest value: raftkv's default value-bytes-max (1.5 MiB); etcd is started to take it too. */
  public static final int MAX_VALUE_BYTES = 1536 << 10;
  /** Every key: {@code k} and 15 digits. */
  public static final int KEY_BYTES = 16;

  public BenchSettings {
    workloads = List.copyOf(workloads);
    if (workloads.isEmpty()) throw new IllegalArgumentException("--workloads: at least one workload");
    if (duration.toSeconds() < 1) throw new IllegalArgumentException("--duration must be at least 1s, not " + duration);
    if (warmup.isNegative()) throw new IllegalArgumentException("--warmup must not be negative");
    if (keys < 1 || keys > MAX_KEYS) throw new IllegalArgumentException("--keys must be 1.." + MAX_KEYS + ", not " + keys);
    if (valueBytes < 1 || valueBytes > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException("--value-bytes must be 1.." + MAX_VALUE_BYTES + ", not " + valueBytes);
    }
  }

  /** The bytes the pre-fill writes into each system: every key with its value. */
  public long prefillBytes() {
    return (long) keys * (KEY_BYTES + valueBytes);
  }

  /**
   * Refuses a pre-fill the raftkv nodes would refuse: a value over their {@code raftkv.kv.value-bytes-max}
   * (413), or keys and values past their {@code raftkv.kv.quota-bytes} (507), both read from
   * {@code raftkv} (the nodes' settings over the defaults).
   */
  public void checkRaftkvTakes(Config raftkv) {
    long valueMax = raftkv.getBytes("raftkv.kv.value-bytes-max");
    if (valueBytes > valueMax) {
      throw new IllegalArgumentException("--value-bytes " + valueBytes + " is over the raftkv nodes' raftkv.kv.value-bytes-max of " + valueMax
          + " bytes (" + configFile + "): raise it there, or write smaller values");
    }
    long quota = raftkv.getBytes("raftkv.kv.quota-bytes");
    if (prefillBytes() > quota) {
      throw new IllegalArgumentException("--keys " + keys + " x (" + KEY_BYTES + " + " + valueBytes + ") bytes = " + prefillBytes()
          + " bytes is over the raftkv nodes' raftkv.kv.quota-bytes of " + quota + " bytes (" + configFile
          + "): raise it there, or pre-fill fewer keys or smaller values");
    }
  }
}
