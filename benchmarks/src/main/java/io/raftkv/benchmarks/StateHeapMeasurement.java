package io.raftkv.benchmarks;

import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.kv.KvStateMachine;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.kv.SessionPolicy;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What it measures: the heap the key-value state takes beyond its own bytes. It fills a
 * {@link KvStateMachine} through {@code apply}, as a node does, with {@code KEYS} keys of 16 ASCII
 * bytes ({@link Samples#key}) and pseudo-random values of {@code VALUE_BYTES} bytes each, then reads
 * the used heap after full collections (MemoryMXBean, no agent needed). The difference from an empty
 * machine, less {@link KvStateMachine#stateBytes()} (what the quota counts), divided by the keys, is
 * the overhead per key: the skip list's node and index levels, the version record, the String and
 * the arrays' headers.
 *
 * <p>Run it with the nodes' collector and a heap that holds the state twice:
 * {@code java -XX:+UseParallelGC -Xmx6g -cp benchmarks/target/benchmarks.jar
 * io.raftkv.benchmarks.StateHeapMeasurement 1000000 1024}. Results in docs/OPERATIONS.md.
 */
public final class StateHeapMeasurement {
  private StateHeapMeasurement() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: StateHeapMeasurement KEYS VALUE_BYTES");
      System.exit(2);
    }
    int keys = Integer.parseInt(args[0]);
    int valueBytes = Integer.parseInt(args[1]);
    long empty = usedAfterFullGc();
    KvStateMachine machine = new KvStateMachine(new KvLimits(1024, Math.max(valueBytes, 1), 10_000), new SessionPolicy(1_000_000, 100_000));
    SplittableRandom random = new SplittableRandom(7);
    long start = System.nanoTime();
    for (int i = 0; i < keys; i++) {
      byte[] value = new byte[valueBytes];
      random.nextBytes(value);
      machine.apply(i + 1, new KvCommand.Put(RequestId.UNTRACKED, Samples.key(i), value));
    }
    long fillMs = (System.nanoTime() - start) / 1_000_000;
    long filled = usedAfterFullGc();
    long stateBytes = machine.stateBytes();
    double perKey = (double) (filled - empty - stateBytes) / keys;
    System.out.printf(Locale.ROOT, "keys %,d of %d + %d bytes: state %,d bytes; heap used %,d bytes (empty machine %,d), "
            + "overhead %.1f bytes per key, heap / state %.3f; filled in %,d ms%n",
        keys, Samples.KEY_BYTES, valueBytes, stateBytes, filled - empty, empty, perKey, (double) (filled - empty) / stateBytes, fillMs);
    if (machine.size() != keys) throw new IllegalStateException("keys lost: " + machine.size());
  }

  /** The heap in use after full collections (ParallelGC's System.gc() is one), a few in a row so finalizable garbage goes too. */
  private static long usedAfterFullGc() {
    for (int i = 0; i < 3; i++) System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
