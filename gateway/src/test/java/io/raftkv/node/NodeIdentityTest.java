package io.raftkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory's identity file: made once, read back the same, and refusing what cannot be this node's. */
class NodeIdentityTest {
  @TempDir Path dir;

  @Test
  void aNewDirectoryGetsAnIncarnationThatLastsAcrossRestarts() {
    NodeIdentity made = NodeIdentity.loadOrCreate(dir, 3);
    assertNotEquals(0, made.incarnation());
    assertEquals(0, made.clusterId(), "not known before the node saw it committed");
    NodeIdentity again = NodeIdentity.loadOrCreate(dir, 3);
    assertEquals(made.incarnation(), again.incarnation());
    again.withClusterId(0xabcdefL);
    assertEquals(0xabcdefL, NodeIdentity.loadOrCreate(dir, 3).clusterId());
    assertTrue(Files.exists(dir.resolve(NodeIdentity.FILE_NAME)) && !Files.exists(dir.resolve(NodeIdentity.FILE_NAME + ".tmp")));
  }

  @Test
  void aWipedDirectoryIsANewIncarnation(@TempDir Path other) {
    assertNotEquals(NodeIdentity.loadOrCreate(dir, 3).incarnation(), NodeIdentity.loadOrCreate(other, 3).incarnation());
  }

  @Test
  void anotherNodesDirectoryIsRefused() {
    NodeIdentity.loadOrCreate(dir, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeIdentity.loadOrCreate(dir, 3));
    assertTrue(e.getMessage().contains("belongs to node 2, not node 3"), e.getMessage());
  }

  @Test
  void aRemovedNodesDirectoryIsRefusedWithWhatToDo() {
    NodeIdentity.loadOrCreate(dir, 4).withClusterId(0x1234).removed(57);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeIdentity.loadOrCreate(dir, 4));
    assertTrue(e.getMessage().contains("removed from cluster 0000000000001234 by the configuration at log index 57")
        && e.getMessage().contains("--join"), e.getMessage());
  }

  @Test
  void aDamagedFileIsRefusedNotReplaced() throws Exception {
    Files.writeString(dir.resolve(NodeIdentity.FILE_NAME), "node-id = 3\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeIdentity.loadOrCreate(dir, 3));
    assertTrue(e.getMessage().contains("no incarnation"), e.getMessage());
    Files.writeString(dir.resolve(NodeIdentity.FILE_NAME), "node-id = 3\nincarnation = xyz\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> NodeIdentity.loadOrCreate(dir, 3)).getMessage().contains("not a number"));
    assertEquals("node-id = 3\nincarnation = xyz\n", Files.readString(dir.resolve(NodeIdentity.FILE_NAME)), "left as found");
  }
}
