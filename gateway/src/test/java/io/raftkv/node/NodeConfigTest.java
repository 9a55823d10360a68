package io.raftkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node refuses a configuration that cannot work, with a message naming the setting. */
class NodeConfigTest {
  @TempDir Path dir;

  private static final String THREE = String.join("\n",
      "raftkv.cluster.nodes = [",
      "  { id = 1, host = \"127.0.0.1\", artery-port = 25521, http-port = 8081, data-dir = \"n1\" }",
      "  { id = 2, host = \"127.0.0.1\", artery-port = 25522, http-port = 8082, data-dir = \"n2\" }",
      "  { id = 3, host = \"127.0.0.1\", artery-port = 25523, http-port = 8083, data-dir = \"n3\" }",
      "]");

  private NodeConfig load(int id, String cluster, String overrides) {
    return NodeConfig.of(id, ConfigFactory.parseString(overrides).withFallback(ConfigFactory.parseString(cluster)), dir);
  }

  private void refused(String cluster, String overrides, int id, String expected) {
    refused(IllegalArgumentException.class, cluster, overrides, id, expected);
  }

  /** Refused with {@code type}: the node answers both IllegalArgumentException and a mistyped value's ConfigException. */
  private void refused(Class<? extends RuntimeException> type, String cluster, String overrides, int id, String expected) {
    RuntimeException e = assertThrows(type, () -> load(id, cluster, overrides));
    assertTrue(e.getMessage().contains(expected), "expected the message to name '" + expected + "': " + e.getMessage());
  }

  @Test
  void aValidLayoutGivesTheActorSystemItsAddressAndDataDirectory() {
    NodeConfig c = load(2, THREE, "");
    assertEquals(25522, c.system().getInt("pekko.remote.artery.canonical.port"));
    assertEquals("cluster", c.system().getString("pekko.actor.provider"));
    assertEquals(dir.resolve("n2").resolve("journal").toString(), c.system().getString("raftkv.persistence.journal.dir"));
    assertEquals(java.util.List.of(1, 2, 3), c.raft().voters());
    assertTrue(Files.isDirectory(dir.resolve("n2")));
  }

  @Test
  void theShippedClusterFilesAreValid() {
    for (String f : new String[] {"cluster.conf", "cluster-5.conf"}) {
      Config file = ConfigFactory.parseFile(Path.of("..", "conf", f).toFile());
      NodeConfig c = NodeConfig.of(1, file, dir);
      assertTrue(c.layout().members().size() >= 3, f);
    }
  }

  @Test
  void duplicateIdsAreRefused() {
    refused(THREE.replace("id = 3", "id = 2"), "", 1, "duplicate id 2");
  }

  @Test
  void duplicatePortsAreRefused() {
    refused(THREE.replace("http-port = 8083", "http-port = 8082"), "", 1, "127.0.0.1:8082 is used twice");
    refused(THREE.replace("artery-port = 25523", "artery-port = 8081"), "", 1, "used twice");
  }

  @Test
  void aNodeMissingFromTheClusterIsRefused() {
    refused(THREE, "", 4, "node id 4 is not in raftkv.cluster.nodes (ids: [1, 2, 3])");
  }

  @Test
  void aSharedDataDirectoryIsRefused() {
    refused(THREE.replace("data-dir = \"n3\"", "data-dir = \"n2\""), "", 1, "data-dir n2 is also node 2's");
  }

  @Test
  void anUnwritableDataDirectoryIsRefused() throws IOException {
    Path locked = Files.createDirectories(dir.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
    try {
      if (Files.isWritable(locked)) return; // running as root: permissions do not stop writes; covered by the file case below
      refused(THREE.replace("data-dir = \"n1\"", "data-dir = \"locked/n1\""), "", 1, "data-dir: cannot write");
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void aDataDirectoryThatIsAFileIsRefused() throws IOException {
    Files.writeString(dir.resolve("afile"), "x");
    refused(THREE.replace("data-dir = \"n1\"", "data-dir = \"afile\""), "", 1, "data-dir: cannot write");
  }

  @Test
  void boundsThatMakeNoSenseAreRefused() {
    refused(THREE, "raftkv.raft.election-ticks-min = 5", 1, "raftkv.raft.election-ticks-min");
    refused(THREE, "raftkv.http.request-timeout = 0s", 1, "raftkv.http.request-timeout");
    refused(THREE, "raftkv.http.attempt-timeout = 10s", 1, "raftkv.http.attempt-timeout (10000 ms) must not exceed raftkv.http.request-timeout");
    refused(THREE, "raftkv.http.inbox-requests-max = 0", 1, "raftkv.http.inbox-requests-max");
    refused(THREE, "raftkv.http.sessions-max = 50000", 1, "raftkv.http.sessions-max (50000) x 3 nodes exceeds raftkv.kv.sessions-max");
    refused(THREE, "raftkv.kv.key-bytes-max = 0", 1, "raftkv.kv.key-bytes-max: must be between 1 and");
    refused(THREE, "raftkv.kv.sessions-max = -1", 1, "raftkv.kv.sessions-max: must be between 1 and");
    refused(THREE, "raftkv.kv.session-expiry-entries = 0", 1, "raftkv.kv.session-expiry-entries: must be >= 1");
    refused(THREE, "raftkv.raft.log-events-per-pekko-snapshot = 1000", 1, "raftkv.raft.log-events-per-pekko-snapshot: no longer used");
    // 4 GiB + 1 MiB once wrapped round to an accepted 1 MiB.
    refused(THREE, "raftkv.kv.value-bytes-max = 4296015872", 1, "raftkv.kv.value-bytes-max: must be between 1 and");
    refused(THREE.replace("http-port = 8081", "http-port = 70000"), "", 1, "http-port 70000 is not a TCP port");
    // read by the persistence plugins only once the node runs: checked at start like the rest
    refused(THREE, "raftkv.persistence.journal.wal-recycle-files = -1", 1, "raftkv.persistence.journal.wal-recycle-files must be between 0 and 64");
    refused(THREE, "raftkv.persistence.snapshot-store.write-buffer-bytes = 1 KiB", 1,
        "raftkv.persistence.snapshot-store.write-buffer-bytes must be between 64 KiB and 1 GiB");
  }

  @Test
  void aMistypedValueIsRefusedNamingItsKey() {
    refused(THREE, "raftkv.raft.heartbeat-ticks = often", 1, "raftkv.raft: ");
    refused(THREE, "raftkv.raft.heartbeat-ticks = often", 1, "heartbeat-ticks has type STRING");
    refused(ConfigException.class, THREE, "raftkv.kv.scan-entries-max = many", 1, "raftkv.kv.scan-entries-max");
    // read by the journal only once the node runs: checked at start like the rest
    refused(ConfigException.class, THREE, "raftkv.persistence.journal.fsync = maybe", 1, "raftkv.persistence.journal.fsync");
    refused(THREE, "raftkv.persistence.journal.write-buffer-bytes = lots", 1, "raftkv.persistence.journal.write-buffer-bytes: ");
  }

  @Test
  void anEmptyOrMissingClusterIsRefused() {
    refused("raftkv.cluster.nodes = []", "", 1, "raftkv.cluster.nodes: empty");
    refused("", "", 1, "raftkv.cluster.nodes: missing");
  }
}
