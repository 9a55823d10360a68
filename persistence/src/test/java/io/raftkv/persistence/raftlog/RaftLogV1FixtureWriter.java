package io.raftkv.persistence.raftlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Writes the format-version-1 fixture of {@link RaftLogFormatV1Test}: a RocksDB journal and
 * snapshot store holding {@link RaftLogV1Fixture#BATCHES}, persisted through {@link RaftLog} by the
 * current code, with the Pekko snapshots and deletions they cause already done. Only the files
 * RocksDB needs to open the databases are kept (not LOCK, which RocksDB recreates, nor its LOG
 * files).
 *
 * <p>The committed fixture must stay as written by format version 1: run this only to create the
 * fixture of a new format version (with its own event list, resource directory and test), never to
 * "refresh" an existing one. From the repository root:
 *
 * <pre>
 * mvn -B -q -pl persistence test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.raftkv.persistence.raftlog.RaftLogV1FixtureWriter \
 *   -Dexec.args="$PWD/persistence/src/test/resources/raftlog-v1"
 * </pre>
 *
 * The target directory must not exist yet.
 */
public final class RaftLogV1FixtureWriter {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** RocksDB files a database does not need to be opened again. */
  private static final List<String> LEFT_OUT = List.of("LOCK", "LOG");

  private RaftLogV1FixtureWriter() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) throw new IllegalArgumentException("usage: RaftLogV1FixtureWriter <target dir, not existing>");
    Path target = Paths.get(args[0]).toAbsolutePath();
    if (Files.exists(target)) throw new IllegalStateException(target + " exists: a format's fixture is written once");
    Path work = Files.createTempDirectory("raftlog-v1-");
    write(work);
    for (String db : List.of("journal", "snapshots")) {
      Files.createDirectories(target.resolve(db));
      try (Stream<Path> files = Files.list(work.resolve(db))) {
        for (Path file : files.sorted().toList()) {
          String name = file.getFileName().toString();
          if (LEFT_OUT.contains(name) || name.startsWith("LOG.old")) continue;
          Files.copy(file, target.resolve(db).resolve(name));
          System.out.println(db + "/" + name + " " + Files.size(file) + " bytes");
        }
      }
    }
    deleteTree(work);
    System.exit(0); // exec:java would otherwise wait for lingering non-daemon threads
  }

  /** Persists the fixture's batches into {@code dataDir} and shuts down cleanly once Pekko's snapshot work is done. */
  static void write(Path dataDir) {
    ActorTestKit kit = ActorTestKit.create("raftlog-v1-writer", RaftLogTestConfig.config(dataDir));
    try {
      ActorRef<RaftLog.Command> log = kit.spawn(RaftLog.create(RaftLogV1Fixture.NODE_ID));
      TestProbe<RaftLog.Reply> probe = kit.createTestProbe();
      long seq = 0;
      for (List<RaftLogEvent> batch : RaftLogV1Fixture.BATCHES) {
        log.tell(new RaftLog.Persist(++seq, batch, probe.ref()));
        probe.expectMessage(TIMEOUT, new RaftLog.Persisted(seq));
      }
      // Saving a Pekko snapshot and the deletions after it run after the acknowledgement.
      String pid = PluginProbe.persistenceId(RaftLogV1Fixture.NODE_ID);
      probe.awaitAssert(
          TIMEOUT,
          Duration.ofMillis(50),
          () -> {
            long firstKept = PluginProbe.events(kit.system(), pid).get(0).sequenceNr();
            long latestSnapshot = PluginProbe.snapshot(kit.system(), pid, Long.MAX_VALUE).orElseThrow().metadata().sequenceNr();
            if (firstKept != RaftLogV1Fixture.FIRST_KEPT_SEQUENCE_NR || latestSnapshot != 15) {
              throw new AssertionError("first kept event " + firstKept + ", latest snapshot " + latestSnapshot);
            }
            return null;
          });
    } finally {
      kit.shutdownTestKit(); // closes both databases (WAL flushed)
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
