package io.raftkv.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.RaftLog;
import io.raftkv.persistence.raftlog.RaftLogEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What it measures: one durable append of a batch of 1 or 64 log entries (puts of 16-byte keys and
 * 100-byte values), the way the Raft node makes it: a {@link RaftLog.Persist} of one
 * {@link RaftLogEvent.EntriesAppended} to the event-sourced {@link RaftLog}, answered with
 * {@link RaftLog.Persisted} once Pekko Persistence has written it through the real RocksDB journal
 * (one WriteBatch: the event serialized with Kryo, plus the highest sequence number) in a fresh
 * temporary directory under {@code java.io.tmpdir}. With {@code fsync = true}, what production runs,
 * RocksDB syncs its write-ahead log before the journal acknowledges; {@code false} is the
 * comparison without the sync (not safe: an acknowledged entry could be lost in a crash).
 *
 * <p>Why it matters: a leader answers a write only after a majority stored it, and every node
 * stores it with this append, so its latency is on the path of every write; the node batches what
 * arrives meanwhile (group commit), which is why the 64-entry batch is here.
 *
 * <p>Each measurement iteration starts a new RaftLog (a new persistence id in the same journal),
 * so the in-memory log does not grow across the run. Pekko's periodic snapshot of the log state
 * (every {@code raftkv.raft.log-events-per-pekko-snapshot} events in production) is left out.
 * The ask pattern adds a temporary reply actor per append: a few microseconds, next to the sync.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class LogAppendBenchmark extends BenchmarkDefaults {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);
  private static final long TERM = 1;

  @Param({"1", "64"})
  public int batchSize;

  @Param({"true", "false"})
  public boolean fsync;

  private Path dir;
  private ActorSystem<Void> system;
  private List<KvCommand.Put> commands;
  private ActorRef<RaftLog.Command> log;
  private int logsStarted;
  private long nextIndex;
  private long seq;

  @Setup(Level.Trial)
  public void start() throws IOException {
    dir = Files.createTempDirectory("raftkv-jmh-log-");
    system = BenchActorSystems.start("log-append-bench", pluginConfig(dir, fsync));
    SplittableRandom random = new SplittableRandom(3);
    commands = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      commands.add(Samples.put(i, RequestId.UNTRACKED, random));
    }
  }

  /** A new, empty log for each iteration; waits until it has recovered (and the journal is open). */
  @Setup(Level.Iteration)
  public void freshLog() {
    stopLog();
    logsStarted++;
    log = system.systemActorOf(RaftLog.create(logsStarted), "raft-log-" + logsStarted, Props.empty());
    RaftLog.Reply loaded = ask(RaftLog.Load::new);
    if (!(loaded instanceof RaftLog.Loaded l) || l.state().lastIndex() != 0) {
      throw new IllegalStateException("a fresh log should load empty, got " + loaded);
    }
    if (!Files.isDirectory(dir.resolve("journal"))) {
      throw new IllegalStateException("the RocksDB journal did not open in " + dir);
    }
    nextIndex = 1;
    seq = 0;
  }

  @Benchmark
  public RaftLog.Reply append() {
    List<LogEntry> entries = new ArrayList<>(batchSize);
    for (KvCommand.Put command : commands) {
      entries.add(new LogEntry(nextIndex++, TERM, command));
    }
    long batch = ++seq;
    List<RaftLogEvent> events = List.of(new RaftLogEvent.EntriesAppended(entries));
    RaftLog.Reply reply = ask(replyTo -> new RaftLog.Persist(batch, events, replyTo));
    if (!(reply instanceof RaftLog.Persisted p) || p.seq() != batch) {
      throw new IllegalStateException("batch " + batch + " answered with " + reply);
    }
    return reply;
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    stopLog();
    BenchActorSystems.terminate(system); // closes the journal's RocksDB
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  private RaftLog.Reply ask(Function<ActorRef<RaftLog.Reply>, RaftLog.Command> request) {
    return AskPattern.ask(log, request::apply, ASK_TIMEOUT, system.scheduler()).toCompletableFuture().join();
  }

  private void stopLog() {
    if (log != null) {
      system.classicSystem().stop(Adapter.toClassic(log));
      log = null;
    }
  }

  /** The RocksDB journal and snapshot store of persistence's reference.conf, in {@code dir}. */
  private static Config pluginConfig(Path dir, boolean fsync) {
    return ConfigFactory.empty()
        .withValue("raftkv.persistence.journal.dir", ConfigValueFactory.fromAnyRef(dir.resolve("journal").toString()))
        .withValue("raftkv.persistence.snapshot-store.dir", ConfigValueFactory.fromAnyRef(dir.resolve("snapshots").toString()))
        .withValue("raftkv.persistence.journal.fsync", ConfigValueFactory.fromAnyRef(fsync))
        .withValue("raftkv.persistence.snapshot-store.fsync", ConfigValueFactory.fromAnyRef(fsync));
  }
}
