package io.raftkv.benchmarks;

import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.KvStateMachine;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.kv.SessionPolicy;
import io.raftkv.persistence.statemachine.StateMachineResult;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What it measures: {@link KvStateMachine#apply} of one committed command on a map pre-filled with
 * 10,000 keys of 16 bytes and values of 100 bytes, keys taken in a seeded random order: a put that
 * overwrites a key, a get read through the log, and a delete followed by the put that restores the
 * key (two applies per operation, so the map keeps its size). Each operation builds its command, as
 * deserializing a log entry would. With {@code sessions = true} the writes carry a
 * {@link RequestId} of one of 1,024 client sessions (the gateway's default pool), so the machine
 * also does its exactly-once bookkeeping; with {@code false} they are untracked. Gets never use
 * sessions. Limits and session policy are the shipped defaults (gateway's reference.conf).
 *
 * <p>Why it matters: the Raft node applies every committed entry on its own actor thread, one at a
 * time, so this cost bounds how fast a node can drain its committed log.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StateMachineBenchmark extends BenchmarkDefaults {
  static final int KEYS = 10_000;
  static final int SESSIONS = 1_024;
  /** raftkv.kv.* defaults: 1 KiB keys, 1 MiB values, 10,000 scan entries, sessions unused for 1,000,000 entries expire. */
  static final KvLimits LIMITS = new KvLimits(1024, 1024 * 1024, 10_000);
  static final SessionPolicy SESSION_POLICY = new SessionPolicy(1_000_000, 100_000);

  /** A machine with {@link #KEYS} keys, fed log indexes in order like the Raft node does. */
  public abstract static class Filled {
    KvStateMachine machine;
    String[] keys;
    byte[] value;
    long[] clientIds;
    long[] sequences;
    long index;
    int next;

    /** Fills the map and, {@code withSessions}, registers {@link #SESSIONS} client sessions. */
    void fill(boolean withSessions) {
      SplittableRandom random = new SplittableRandom(4);
      machine = new KvStateMachine(LIMITS, SESSION_POLICY);
      int[] order = Samples.shuffled(KEYS, random);
      keys = new String[KEYS];
      for (int i = 0; i < KEYS; i++) {
        keys[i] = Samples.key(order[i]);
        apply(new KvCommand.Put(RequestId.UNTRACKED, keys[i], Samples.value(random)));
      }
      value = Samples.value(random);
      clientIds = new long[withSessions ? SESSIONS : 0];
      sequences = new long[clientIds.length];
      for (int s = 0; s < clientIds.length; s++) {
        clientIds[s] = ((KvResult.SessionRegistered) apply(new KvCommand.RegisterSession())).clientId();
      }
    }

    StateMachineResult apply(KvCommand command) {
      return machine.apply(++index, command);
    }

    /** The next key in the shuffled order. */
    String nextKey() {
      int i = next;
      next = i + 1 == KEYS ? 0 : i + 1;
      return keys[i];
    }

    /** Untracked, or the next sequence of the next session in turn. */
    RequestId nextRequestId() {
      if (clientIds.length == 0) {
        return RequestId.UNTRACKED;
      }
      int s = (int) (index % SESSIONS);
      return RequestId.of(clientIds[s], ++sequences[s]);
    }
  }

  /** The machine for writes: untracked, or under client sessions. */
  @State(Scope.Thread)
  public static class Writes extends Filled {
    @Param({"false", "true"})
    public boolean sessions;

    @Setup(Level.Trial)
    public void setUp() {
      fill(sessions);
    }
  }

  /** The machine for reads, which use no session. */
  @State(Scope.Thread)
  public static class Reads extends Filled {
    @Setup(Level.Trial)
    public void setUp() {
      fill(false);
    }
  }

  @Benchmark
  public StateMachineResult put(Writes m) {
    return m.apply(new KvCommand.Put(m.nextRequestId(), m.nextKey(), m.value));
  }

  @Benchmark
  public StateMachineResult get(Reads m) {
    return m.apply(new KvCommand.Get(m.nextKey()));
  }

  @Benchmark
  public StateMachineResult deleteThenPut(Writes m) {
    String key = m.nextKey();
    m.apply(new KvCommand.Delete(m.nextRequestId(), key));
    return m.apply(new KvCommand.Put(m.nextRequestId(), key, m.value));
  }
}
