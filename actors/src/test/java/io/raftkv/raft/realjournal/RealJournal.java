package io.raftkv.raft.realjournal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftkv.persistence.journal.TestConfigs;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftSettings;
import io.raftkv.raft.sim.ChecksumStateMachine;
import io.raftkv.raft.sim.TestCommand;
import io.raftkv.raft.sim.TestResult;
import io.raftkv.persistence.statemachine.SnapshotWriter;
import io.raftkv.persistence.statemachine.StateMachine;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.persistence.statemachine.StateMachineResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/** What the tests of Raft nodes on the real RocksDB journal share: config, settings, status polling. */
public final class RealJournal {
  /**
   * Kryo ids of the simulator's command and result: TestCommand is persisted inside log entries,
   * so every JVM that writes or reads the same journal (the kill-nine child and its parent) must
   * use these same ids.
   */
  static final String KRYO_CLASSES =
      "raftkv.kryo.classes { \""
          + TestCommand.class.getName()
          + "\" = 950, \""
          + TestResult.class.getName()
          + "\" = 951 }";

  public static final Duration TICK = Duration.ofMillis(10);
  public static final Duration POLL = Duration.ofMillis(20);
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private RealJournal() {}

  /** A local (network-free) system with the RocksDB journal in {@code dataDir/journal}, snapshots in {@code dataDir/snapshots}, fsync on. */
  public static Config config(Path dataDir) {
    return ConfigFactory.parseString(KRYO_CLASSES).withFallback(TestConfigs.plugins(dataDir, true));
  }

  static Path freshDir(String name) {
    return TestConfigs.freshDir(name);
  }

  /**
   * 10 ms ticks; heartbeats every 50 ms and election timeouts of 300-600 ms: fast enough for a
   * test, slow enough that a busy machine does not depose a healthy leader.
   */
  static RaftSettings settings(int nodeId, List<Integer> voters) {
    return new RaftSettings(nodeId, voters, TICK, 30, 60, 5, 5, 512, 1 << 20, 16, 10_000, 64 * 1024, 1L << 30, 10_000,
        10_000, 100_000, true, true, false);
  }

  /** One status of {@code node}, answered within {@link #TIMEOUT}. */
  public static RaftNode.Status status(ActorTestKit kit, ActorRef<RaftNode.Command> node) {
    TestProbe<RaftNode.Status> probe = kit.createTestProbe();
    try {
      node.tell(new RaftNode.GetStatus(probe.ref()));
      return probe.receiveMessage(TIMEOUT);
    } finally {
      probe.stop();
    }
  }

  /** A state machine that remembers its checksum after each index it applied (readable from the test thread). */
  static final class RecordingStateMachine implements StateMachine {
    private final ChecksumStateMachine delegate = new ChecksumStateMachine();
    private final Map<Long, Long> checksumAt = new ConcurrentHashMap<>();
    private volatile long lastChecksum;

    @Override
    public StateMachineResult apply(long index, StateMachineCommand command) {
      StateMachineResult result = delegate.apply(index, command);
      checksumAt.put(index, ((TestResult) result).checksum());
      lastChecksum = delegate.checksum();
      return result;
    }

    @Override
    public StateMachineResult query(StateMachineCommand query) {
      return delegate.query(query);
    }

    @Override
    public byte[] snapshot() {
      return delegate.snapshot();
    }

    @Override
    public void restore(byte[] snapshot) {
      delegate.restore(snapshot);
      lastChecksum = delegate.checksum();
    }

    @Override
    public long stateBytes() {
      return delegate.stateBytes();
    }

    @Override
    public SnapshotWriter pinSnapshot() {
      return delegate.pinSnapshot();
    }

    @Override
    public void releaseSnapshot() {
      delegate.releaseSnapshot();
    }

    @Override
    public void restore(InputStream in) throws IOException {
      delegate.restore(in);
      lastChecksum = delegate.checksum();
    }

    /** The checksum after applying {@code index}, or null if this machine did not apply it. */
    Long checksumAt(long index) {
      return checksumAt.get(index);
    }

    long checksum() {
      return lastChecksum;
    }
  }
}
