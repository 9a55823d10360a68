package io.raftkv.persistence.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.journal.TestConfigs;
import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.KvStateMachine;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.kv.SessionPolicy;
import io.raftkv.persistence.statemachine.SnapshotWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A state larger than any buffer on the path: 64 values of 1.5 MiB plus 16,384 of 1 KiB (112 MiB
 * of values; a Kryo buffer holds 64 MiB, a stream buffer 64 KiB). Pinned, written to a file by
 * another thread while the owner overwrites and deletes keys (the writer waits after its first
 * bytes until they are applied), shipped in 1 MiB chunks to a second directory, and restored
 * into another machine from there: equal to the state at the pin. Without fsync, which adds
 * nothing a test can observe and seconds on a busy disk (SnapshotFilesTest runs it).
 */
class SnapshotFilesAtSizeTest {

  private static final int BIG_VALUE_BYTES = 1536 * 1024;
  private static final int BIG_KEYS = 64;
  private static final int SMALL_VALUE_BYTES = 1024;
  private static final int SMALL_KEYS = 16_384;
  private static final int CHUNK_BYTES = 1024 * 1024;
  private static final long WRITE_TIMEOUT_SECONDS = 60;
  private static final KvLimits LIMITS = new KvLimits(64, BIG_VALUE_BYTES, 100);
  private static final SessionPolicy POLICY = new SessionPolicy(1_000, 10);

  private final Path leaderDir = TestConfigs.freshDir("snapshot-at-size-leader");
  private final Path followerDir = TestConfigs.freshDir("snapshot-at-size-follower");

  /** Over 200 MiB of files: not left behind. */
  @AfterEach
  void deleteFiles() throws IOException {
    for (Path dir : List.of(leaderDir, followerDir)) {
      if (Files.exists(dir)) {
        try (Stream<Path> files = Files.list(dir)) {
          for (Path file : files.toList()) {
            Files.delete(file);
          }
        }
        Files.delete(dir);
      }
    }
  }

  @Test
  void aStateOf112MebibytesIsWrittenShippedAndRestoredWhileWritesGoOn() throws Exception {
    KvStateMachine machine = new KvStateMachine(LIMITS, POLICY);
    long index = 0;
    for (int i = 0; i < BIG_KEYS; i++) {
      machine.apply(++index, put(bigKey(i), value(bigKey(i), 0, BIG_VALUE_BYTES)));
    }
    for (int i = 0; i < SMALL_KEYS; i++) {
      machine.apply(++index, put(smallKey(i), value(smallKey(i), 0, SMALL_VALUE_BYTES)));
    }
    long pinnedIndex = index;
    long stateBytesAtPin = machine.stateBytes();
    assertTrue(stateBytesAtPin > 112L * 1024 * 1024, stateBytesAtPin + " bytes");

    SnapshotFiles leader = new SnapshotFiles(leaderDir, false);
    SnapshotWriter writer = machine.pinSnapshot();
    CountDownLatch writerStarted = new CountDownLatch(1);
    CountDownLatch ownerWrote = new CountDownLatch(1);
    ExecutorService background = Executors.newSingleThreadExecutor();
    SnapshotRef ref;
    try {
      SnapshotWriter paused = pausedAfterFirstBytes(writer, writerStarted, ownerWrote);
      Future<SnapshotRef> written = background.submit(() -> leader.write(5, paused));
      assertTrue(writerStarted.await(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
      // The writer is past its first bytes, not through the map: overwrite half the big values
      // and delete half the small keys, then let it go on.
      for (int i = 0; i < BIG_KEYS; i += 2) {
        machine.apply(++index, put(bigKey(i), value(bigKey(i), 1, BIG_VALUE_BYTES)));
      }
      for (int i = 0; i < SMALL_KEYS; i += 2) {
        machine.apply(++index, new KvCommand.Delete(RequestId.UNTRACKED, smallKey(i)));
      }
      ownerWrote.countDown();
      ref = written.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } finally {
      background.shutdownNow();
    }
    machine.releaseSnapshot();
    assertEquals(pinnedIndex, ref.index());
    assertTrue(ref.sizeBytes() > stateBytesAtPin, ref.sizeBytes() + " bytes");

    SnapshotFiles follower = new SnapshotFiles(followerDir, false);
    SnapshotReceiver receiver = follower.receive(ref.index(), ref.term(), ref.sizeBytes());
    while (receiver.nextOffset() < ref.sizeBytes()) {
      long offset = receiver.nextOffset();
      receiver.offer(offset, leader.readChunk(ref, offset, CHUNK_BYTES));
    }
    SnapshotRef received = receiver.complete(ref.sizeBytes(), ref.crc32c());
    assertEquals(ref, received);

    KvStateMachine restored = new KvStateMachine(LIMITS, POLICY);
    try (InputStream in = follower.open(received)) {
      restored.restore(in);
    }
    assertEquals(pinnedIndex, restored.lastAppliedIndex());
    assertEquals(BIG_KEYS + SMALL_KEYS, restored.size());
    assertEquals(stateBytesAtPin, restored.stateBytes());
    for (int i = 0; i < BIG_KEYS; i++) {
      assertValue(restored, bigKey(i), 0, BIG_VALUE_BYTES);
    }
    for (int i = 0; i < SMALL_KEYS; i++) {
      assertValue(restored, smallKey(i), 0, SMALL_VALUE_BYTES);
    }
    // The machine itself went on: the writes during the snapshot are there.
    assertValue(machine, bigKey(0), 1, BIG_VALUE_BYTES);
    assertValue(machine, bigKey(1), 0, BIG_VALUE_BYTES);
    assertEquals(KvResult.NOT_FOUND, machine.get(smallKey(0)));
    assertEquals(BIG_KEYS + SMALL_KEYS / 2, machine.size());
  }

  /** {@code writer}, which stops at its first bytes until {@code resume} is counted down. */
  private static SnapshotWriter pausedAfterFirstBytes(
      SnapshotWriter writer, CountDownLatch started, CountDownLatch resume) {
    return new SnapshotWriter() {
      @Override
      public long index() {
        return writer.index();
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        writer.writeTo(
            new FilterOutputStream(out) {
              private boolean first = true;

              @Override
              public void write(byte[] bytes, int offset, int length) throws IOException {
                if (first) {
                  first = false;
                  started.countDown();
                  awaitResume();
                }
                out.write(bytes, offset, length);
              }

              private void awaitResume() throws IOException {
                try {
                  if (!resume.await(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("not resumed within " + WRITE_TIMEOUT_SECONDS + " s");
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IOException("interrupted", e);
                }
              }
            });
      }
    };
  }

  private static KvCommand put(String key, byte[] value) {
    return new KvCommand.Put(RequestId.UNTRACKED, key, value);
  }

  private static String bigKey(int i) {
    return String.format("big/%03d", i);
  }

  private static String smallKey(int i) {
    return String.format("small/%05d", i);
  }

  /** The value of {@code key} in {@code generation}: the same bytes each time it is asked for. */
  private static byte[] value(String key, int generation, int bytes) {
    byte[] value = new byte[bytes];
    new SplittableRandom(key.hashCode() * 31L + generation).nextBytes(value);
    return value;
  }

  private static void assertValue(KvStateMachine machine, String key, int generation, int bytes) {
    KvResult result = machine.get(key);
    assertTrue(result instanceof KvResult.Value, key + ": " + result);
    assertArrayEquals(
        value(key, generation, bytes),
        ((KvResult.Value) result).value(),
        key + " (generation " + generation + ")");
  }
}
