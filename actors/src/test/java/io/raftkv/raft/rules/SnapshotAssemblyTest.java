package io.raftkv.raft.rules;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §7 InstallSnapshot, Figure 13: "Create new snapshot file if first chunk (offset is 0); write data
 * into snapshot file at given offset; reply and wait for more data chunks if done is false". Here
 * chunks must come in order: anything else is answered with the offset the follower needs, so a
 * lost, duplicated or reordered chunk makes the leader resend from there.
 */
@DisplayName("§7 InstallSnapshot: assembling the chunks")
class SnapshotAssemblyTest {
  private final SnapshotAssembly assembly = new SnapshotAssembly(1_000);

  @Test
  @DisplayName("§7 in-order chunks assemble into the snapshot")
  void inOrder() {
    assertEquals(3, assembly.offer(10, 2, 0, bytes("abc")));
    assertEquals(5, assembly.offer(10, 2, 3, bytes("de")));
    assertEquals(8, assembly.offer(10, 2, 5, bytes("fgh")));
    assertArrayEquals(bytes("abcdefgh"), assembly.complete());
  }

  @Test
  @DisplayName("§7 complete() resets: a chunk after it needs a new start")
  void completeResets() {
    assembly.offer(10, 2, 0, bytes("abc"));
    assembly.complete();
    assertEquals(0, assembly.offer(10, 2, 3, bytes("de")), "the old buffer is gone: start from 0");
    assertArrayEquals(new byte[0], assembly.complete());
  }

  @Test
  @DisplayName("§7 a chunk ahead of the expected offset is answered with the expected offset and not taken")
  void outOfOrder() {
    assembly.offer(10, 2, 0, bytes("abc"));
    assertEquals(3, assembly.offer(10, 2, 6, bytes("ghi")));
    assertEquals(6, assembly.offer(10, 2, 3, bytes("def")));
    assertArrayEquals(bytes("abcdef"), assembly.complete());
  }

  @Test
  @DisplayName("§7 a duplicated chunk is answered with the expected offset and not written twice")
  void duplicate() {
    assembly.offer(10, 2, 0, bytes("abc"));
    assembly.offer(10, 2, 3, bytes("def"));
    assertEquals(6, assembly.offer(10, 2, 3, bytes("def")));
    assertArrayEquals(bytes("abcdef"), assembly.complete());
  }

  @Test
  @DisplayName("§7 a middle chunk of another snapshot asks for that snapshot from offset 0")
  void otherSnapshotMidStream() {
    assembly.offer(10, 2, 0, bytes("abc"));
    assertEquals(0, assembly.offer(20, 3, 3, bytes("xyz")));
    assertEquals(0, assembly.offer(10, 3, 3, bytes("xyz")), "same index, other term: another snapshot too");
  }

  @Test
  @DisplayName("§7 the first chunk (offset 0) of a new snapshot starts over")
  void newSnapshotRestarts() {
    // A newer snapshot replaces the one half received: Figure 13 "create new snapshot file if
    // first chunk".
    assembly.offer(10, 2, 0, bytes("abc"));
    assertEquals(2, assembly.offer(20, 3, 0, bytes("xy")));
    assertEquals(5, assembly.offer(20, 3, 2, bytes("zzz")));
    assertArrayEquals(bytes("xyzzz"), assembly.complete());
  }

  @Test
  @DisplayName("§7 offset 0 of the same snapshot starts over too (the leader restarted the transfer)")
  void sameSnapshotFromZeroRestarts() {
    assembly.offer(10, 2, 0, bytes("abc"));
    assembly.offer(10, 2, 3, bytes("def"));
    assertEquals(3, assembly.offer(10, 2, 0, bytes("abc")));
    assertArrayEquals(bytes("abc"), assembly.complete());
  }

  @Test
  @DisplayName("§7 a snapshot beyond bytesMax is refused; up to bytesMax is accepted")
  void bytesMax() {
    SnapshotAssembly small = new SnapshotAssembly(5);
    assertEquals(3, small.offer(10, 2, 0, bytes("abc")));
    assertThrows(IllegalStateException.class, () -> small.offer(10, 2, 3, bytes("def")));
    assertEquals(5, small.offer(10, 2, 3, bytes("de")), "the refused chunk was not written");
    assertArrayEquals(bytes("abcde"), small.complete());
    assertThrows(IllegalStateException.class, () -> small.offer(11, 2, 0, bytes("abcdef")), "a first chunk alone too big");
  }

  @Test
  @DisplayName("§7 an empty snapshot is a snapshot")
  void empty() {
    assertEquals(0, assembly.offer(10, 2, 0, new byte[0]));
    assertArrayEquals(new byte[0], assembly.complete());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(US_ASCII);
  }
}
