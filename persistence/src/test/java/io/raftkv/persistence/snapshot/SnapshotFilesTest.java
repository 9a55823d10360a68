package io.raftkv.persistence.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.journal.TestConfigs;
import io.raftkv.persistence.statemachine.SnapshotWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Snapshot files: written atomically with their size and CRC32C, read whole (verified) or in
 * chunks, received in chunks (in order, whatever order they arrive in), pruned. Files of 300 KiB:
 * several 64 KiB buffers, and chunks of 48 KiB that do not divide them.
 */
class SnapshotFilesTest {

  private static final int FILE_BYTES = 300 * 1024;
  private static final int CHUNK_BYTES = 48 * 1024;

  private final Path dir = TestConfigs.freshDir("snapshot-files");

  @Test
  void aWrittenFileHasItsFinalNameSizeAndChecksumAndReadsBackVerified() throws IOException {
    SnapshotFiles files = new SnapshotFiles(dir, true);
    byte[] content = content(1, FILE_BYTES);
    SnapshotRef ref = files.write(3, writer(40, content));

    assertEquals(new SnapshotRef(40, 3, "snapshot-40-3.snap", FILE_BYTES, crc(content)), ref);
    assertEquals(Set.of("snapshot-40-3.snap"), names(), "no temporary file left");
    assertTrue(files.exists(ref));
    try (InputStream in = files.open(ref)) {
      assertArrayEquals(content, in.readAllBytes());
    }
    assertArrayEquals(content, readInChunks(files, ref));
    assertEquals(dir, files.dir());
  }

  @Test
  void readChunkGivesFewerBytesOnlyAtTheEnd() throws IOException {
    SnapshotFiles files = new SnapshotFiles(dir, false);
    byte[] content = content(2, 1000);
    SnapshotRef ref = files.write(1, writer(5, content));
    assertArrayEquals(Arrays.copyOfRange(content, 0, 400), files.readChunk(ref, 0, 400));
    assertArrayEquals(
        Arrays.copyOfRange(content, 800, 1000), files.readChunk(ref, 800, 400));
    assertEquals(0, files.readChunk(ref, 1000, 400).length);
    assertThrows(IllegalArgumentException.class, () -> files.readChunk(ref, 1001, 400));
    assertThrows(IllegalArgumentException.class, () -> files.readChunk(ref, 0, 0));
  }

  @Test
  void aFileDamagedOnDiskIsRefusedWhenReadToItsEnd() throws IOException {
    SnapshotFiles files = new SnapshotFiles(dir, false);
    byte[] content = content(3, FILE_BYTES);
    SnapshotRef ref = files.write(1, writer(9, content));
    Path file = dir.resolve(ref.fileName());

    byte[] flipped = content.clone();
    flipped[FILE_BYTES / 3] ^= 1;
    Files.write(file, flipped);
    assertTrue(files.exists(ref), "same size: only reading finds the damage");
    assertTrue(readAll(files, ref).getMessage().contains("CRC32C"));

    Files.write(file, Arrays.copyOf(content, FILE_BYTES - 1));
    assertFalse(files.exists(ref));
    assertTrue(readAll(files, ref).getMessage().contains("ends after"));
    assertThrows(IOException.class, () -> files.readChunk(ref, 0, 10));

    Files.write(file, Arrays.copyOf(content, FILE_BYTES + 1));
    assertTrue(readAll(files, ref).getMessage().contains("longer than"));
  }

  @Test
  void aFailingWriterLeavesNoFile() throws IOException {
    SnapshotFiles files = new SnapshotFiles(dir, true);
    SnapshotWriter failing =
        new SnapshotWriter() {
          @Override
          public long index() {
            return 7;
          }

          @Override
          public void writeTo(OutputStream out) throws IOException {
            out.write(new byte[FILE_BYTES]);
            throw new IOException("disk full");
          }
        };
    assertEquals("disk full", assertThrows(IOException.class, () -> files.write(1, failing)).getMessage());
    assertEquals(Set.of(), names());
  }

  @Test
  void openingTheDirectoryDeletesTemporaryFilesACrashLeft() throws IOException {
    SnapshotFiles first = new SnapshotFiles(dir, false);
    SnapshotRef kept = first.write(2, writer(10, content(4, 100)));
    SnapshotReceiver interrupted = first.receive(20, 3, FILE_BYTES);
    interrupted.offer(0, content(5, 100));
    Files.writeString(dir.resolve("snapshot-30-3.snap.7.tmp"), "half a snapshot");
    Files.writeString(dir.resolve("notes.txt"), "not a snapshot file");
    assertEquals(4, names().size());

    SnapshotFiles reopened = new SnapshotFiles(dir, false); // as after a crash of the first
    assertEquals(Set.of(kept.fileName(), "notes.txt"), names());
    assertTrue(reopened.exists(kept));
  }

  @Test
  void chunksArrivingOutOfOrderOrTwiceAreAppendedInOrder() throws IOException {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    SnapshotFiles leader = new SnapshotFiles(dir.resolve("leader"), false);
    SnapshotFiles follower = new SnapshotFiles(dir.resolve("follower"), true);
    byte[] content = content(6, FILE_BYTES);
    SnapshotRef sent = leader.write(4, writer(77, content));

    SnapshotReceiver receiver = follower.receive(77, 4, FILE_BYTES);
    List<Long> offsets = new ArrayList<>();
    for (long offset = 0; offset < FILE_BYTES; offset += CHUNK_BYTES) {
      offsets.add(offset);
    }
    int deliveries = 0;
    int ignored = 0;
    // Each round delivers every chunk, shuffled, some twice: what a lossy, reordering link does.
    while (receiver.nextOffset() < FILE_BYTES && deliveries < 1_000) {
      List<Long> round = new ArrayList<>(offsets);
      round.addAll(offsets.subList(0, random.nextInt(offsets.size())));
      Collections.shuffle(round, random);
      for (long offset : round) {
        long before = receiver.nextOffset();
        long next = receiver.offer(offset, leader.readChunk(sent, offset, CHUNK_BYTES));
        deliveries++;
        if (offset != before) {
          ignored++;
          assertEquals(before, next, "seed " + seed + ": a chunk not at nextOffset is ignored");
        } else {
          assertEquals(Math.min(FILE_BYTES, offset + CHUNK_BYTES), next, "seed " + seed);
        }
      }
    }
    assertTrue(ignored > 0, "seed " + seed + ": some chunks were out of order or repeated");
    SnapshotRef received = receiver.complete(sent.sizeBytes(), sent.crc32c());

    assertEquals(sent, received);
    assertEquals(Set.of(sent.fileName()), names(follower.dir()));
    try (InputStream in = follower.open(received)) {
      assertArrayEquals(content, in.readAllBytes(), "seed " + seed);
    }
    assertThrows(IllegalStateException.class, () -> receiver.offer(FILE_BYTES, new byte[1]));
    receiver.close(); // no-op once completed
    assertTrue(follower.exists(received));
  }

  @Test
  void aReceivedSnapshotWhoseChecksumOrSizeDiffersIsRefusedAndDropped() throws IOException {
    SnapshotFiles files = new SnapshotFiles(dir, false);
    byte[] content = content(7, 5000);

    SnapshotReceiver badCrc = files.receive(8, 2, 10_000);
    badCrc.offer(0, content);
    IOException e = assertThrows(IOException.class, () -> badCrc.complete(5000, crc(content) + 1));
    assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
    assertEquals(Set.of(), names());
    assertThrows(IllegalStateException.class, () -> badCrc.offer(5000, new byte[1]));

    SnapshotReceiver short1 = files.receive(8, 2, 10_000);
    short1.offer(0, Arrays.copyOf(content, 4000));
    e = assertThrows(IOException.class, () -> short1.complete(5000, crc(content)));
    assertTrue(e.getMessage().contains("received 4000 bytes"), e.getMessage());
    assertEquals(Set.of(), names());
  }

  @Test
  void aSnapshotOverBytesMaxIsRefused() throws IOException {
    SnapshotFiles files = new SnapshotFiles(dir, false);
    SnapshotReceiver receiver = files.receive(8, 2, 1000);
    assertEquals(600, receiver.offer(0, new byte[600]));
    assertEquals(1000, receiver.offer(600, new byte[400]), "exactly bytesMax is allowed");
    IOException e = assertThrows(IOException.class, () -> receiver.offer(1000, new byte[1]));
    assertTrue(e.getMessage().contains("bytesMax = 1000"), e.getMessage());
    assertEquals(Set.of(), names());
  }

  @Test
  void receivingAgainDropsThePartialSnapshotAndCloseDropsItToo() throws IOException {
    SnapshotFiles files = new SnapshotFiles(dir, false);
    SnapshotReceiver first = files.receive(8, 2, 10_000);
    first.offer(0, new byte[100]);
    SnapshotReceiver second = files.receive(9, 2, 10_000);
    assertThrows(IllegalStateException.class, () -> first.offer(100, new byte[1]));
    assertEquals(1, names().size(), "only the second's temporary file");
    assertEquals(0, second.nextOffset());
    assertEquals(9, second.index());
    assertEquals(2, second.term());
    second.offer(0, new byte[10]);
    second.close();
    assertEquals(Set.of(), names());
  }

  @Test
  void retainOnlyDeletesOtherSnapshotsAndStaleTemporariesButNotOneUnderWay() throws IOException {
    SnapshotFiles files = new SnapshotFiles(dir, false);
    SnapshotRef old = files.write(1, writer(10, content(8, 100)));
    SnapshotRef kept = files.write(1, writer(20, content(9, 100)));
    SnapshotRef newer = files.write(2, writer(30, content(10, 100)));
    SnapshotReceiver underWay = files.receive(40, 2, 10_000);
    underWay.offer(0, new byte[10]);
    Files.writeString(dir.resolve("snapshot-50-2.snap.99.tmp"), "stale");
    Files.writeString(dir.resolve("notes.txt"), "kept");

    files.retainOnly(List.of(kept, newer));

    assertFalse(files.exists(old));
    assertTrue(files.exists(kept));
    assertTrue(files.exists(newer));
    Set<String> left = names();
    assertTrue(left.contains("notes.txt"));
    assertEquals(4, left.size(), "kept, newer, notes and the receiver's file: " + left);
    assertEquals(100, underWay.offer(10, new byte[90]));
    SnapshotRef received = underWay.complete(100, crc(new byte[100]));
    assertTrue(files.exists(received));
  }

  @Test
  void aRefNamingAnotherFileIsRefused() throws IOException {
    SnapshotFiles files = new SnapshotFiles(dir, false);
    SnapshotRef escaping = new SnapshotRef(1, 1, "../snapshot-1-1.snap", 0, 0);
    assertThrows(IllegalArgumentException.class, () -> files.open(escaping));
    assertThrows(IllegalArgumentException.class, () -> files.readChunk(escaping, 0, 1));
  }

  private static SnapshotWriter writer(long index, byte[] content) {
    return new SnapshotWriter() {
      @Override
      public long index() {
        return index;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        // In odd pieces, as a real writer's buffers would not align with the file's.
        for (int offset = 0; offset < content.length; offset += 10_007) {
          out.write(content, offset, Math.min(10_007, content.length - offset));
        }
      }
    };
  }

  private static byte[] content(long seed, int bytes) {
    byte[] content = new byte[bytes];
    new Random(seed).nextBytes(content);
    return content;
  }

  private static int crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  private static byte[] readInChunks(SnapshotFiles files, SnapshotRef ref) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (long offset = 0; offset < ref.sizeBytes(); ) {
      byte[] chunk = files.readChunk(ref, offset, CHUNK_BYTES);
      assertTrue(chunk.length == CHUNK_BYTES || offset + chunk.length == ref.sizeBytes());
      all.write(chunk);
      offset += chunk.length;
    }
    return all.toByteArray();
  }

  private static IOException readAll(SnapshotFiles files, SnapshotRef ref) {
    return assertThrows(
        IOException.class,
        () -> {
          try (InputStream in = files.open(ref)) {
            in.readAllBytes();
          }
        });
  }

  private Set<String> names() throws IOException {
    return names(dir);
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .collect(Collectors.toSet());
    }
  }
}
