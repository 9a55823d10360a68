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
import io.raftkv.security.TlsFiles;
import io.raftkv.security.TlsInit;
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
  void theSpaceQuotaIsTwoGibibytesUnlessSetAndMayExceedAnArray() {
    assertEquals(2L << 30, load(1, THREE, "").quotaBytes());
    assertEquals(64L << 30, load(1, THREE, "raftkv.kv.quota-bytes = 64 GiB").quotaBytes());
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
    refused(THREE, "raftkv.kv.quota-bytes = 512 KiB", 1, "raftkv.kv.quota-bytes: must be at least raftkv.kv.value-bytes-max (1572864 bytes), was 524288");
    refused(THREE.replace("http-port = 8081", "http-port = 70000"), "", 1, "http-port 70000 is not a TCP port");
    // read by the persistence plugins only once the node runs: checked at start like the rest
    refused(THREE, "raftkv.persistence.journal.wal-recycle-files = -1", 1, "raftkv.persistence.journal.wal-recycle-files must be between 0 and 64");
    refused(THREE, "raftkv.persistence.snapshot-store.write-buffer-bytes = 1 KiB", 1,
        "raftkv.persistence.snapshot-store.write-buffer-bytes must be between 64 KiB and 1 GiB");
  }

  // ---- the Artery frame between nodes (ArteryFrame) ----

  private static final long MIB = 1 << 20;

  @Test
  void theShippedConfigurationGetsAFrameForItsLargestMessage() {
    Config shipped = ConfigFactory.parseFile(Path.of("..", "conf", "application.conf").toFile())
        .withFallback(ConfigFactory.parseFile(Path.of("..", "conf", "cluster.conf").toFile()));
    NodeConfig c = NodeConfig.of(1, shipped, dir);
    assertEquals(1536 * 1024, c.limits().valueBytesMax());
    ArteryFrame frame = ArteryFrame.derive(c.raft(), c.limits());
    long set = c.system().getBytes(ArteryFrame.FRAME_SIZE);
    assertEquals(frame.frameBytes(), set, "the ActorSystem gets the derived frame");
    assertEquals(frame.largest().bytes() + ArteryFrame.MARGIN_BYTES, set);
    // A cas a follower forwards carries two values of 1.5 MiB; a scan page 4 MiB: the frame holds both.
    assertTrue(set > 3 * MIB + 1024 && set > 4 * MIB, "frame " + set);
    assertTrue(set < 5 * MIB, "no more than the largest message and the margin: " + set);
    assertEquals("raftkv.kv.scan-bytes-max", frame.largest().settings());
    assertEquals(set, c.system().getBytes(ArteryFrame.LARGE_FRAME_SIZE), "the large-message stream, if a user turns it on, too");
    assertEquals(load(1, THREE, "").system().getBytes(ArteryFrame.FRAME_SIZE), set, "reference.conf and conf/application.conf agree");
    System.out.printf("shipped limits: Artery frame %d bytes (%.2f MiB), decided by %s (%s): %d bytes%n", set, set / (double) MIB,
        frame.largest().what(), frame.largest().settings(), frame.largest().bytes());
  }

  @Test
  void theFrameFollowsTheLimits() {
    NodeConfig big = load(1, THREE, "raftkv.kv.value-bytes-max = 8 MiB");
    long frame = big.system().getBytes(ArteryFrame.FRAME_SIZE);
    assertTrue(frame >= 16 * MIB, "a cas of two 8 MiB values: " + frame);
    assertTrue(ArteryFrame.derive(big.raft(), big.limits()).largest().settings().startsWith("raftkv.kv.value-bytes-max"));
    NodeConfig small = load(1, THREE, "raftkv.kv.value-bytes-max = 16 KiB\nraftkv.kv.scan-bytes-max = 64 KiB\nraftkv.raft.append-bytes-max = 256 KiB\n"
        + "raftkv.raft.snapshot-chunk-bytes = 64 KiB");
    ArteryFrame derived = ArteryFrame.derive(small.raft(), small.limits());
    assertEquals("raftkv.raft.append-bytes-max", derived.largest().settings(), "an AppendEntries of 256 KiB is the largest message");
    assertTrue(small.system().getBytes(ArteryFrame.FRAME_SIZE) < MIB);
  }

  @Test
  void aUserFrameTooSmallForTheLimitsIsRefusedAndALargerOneKept() {
    refused(THREE, ArteryFrame.FRAME_SIZE + " = 256 KiB", 1, ArteryFrame.FRAME_SIZE + ": 262144 bytes");
    refused(THREE, ArteryFrame.FRAME_SIZE + " = 256 KiB", 1, "cannot carry the node's largest message");
    refused(THREE, ArteryFrame.FRAME_SIZE + " = 4 MiB", 1, "raftkv.kv.scan-bytes-max");
    assertEquals(16 * MIB, load(1, THREE, ArteryFrame.FRAME_SIZE + " = 16 MiB").system().getBytes(ArteryFrame.FRAME_SIZE));
    // Smaller limits make a smaller frame enough.
    assertEquals(MIB, load(1, THREE, ArteryFrame.FRAME_SIZE + " = 1 MiB\nraftkv.kv.value-bytes-max = 64 KiB\nraftkv.kv.scan-bytes-max = 512 KiB\n"
        + "raftkv.raft.append-bytes-max = 512 KiB\nraftkv.raft.snapshot-chunk-bytes = 256 KiB").system().getBytes(ArteryFrame.FRAME_SIZE));
  }

  @Test
  void theLargeMessageStreamsFrameIsCheckedOnlyWhenTheStreamIsUsed() {
    String largeFrame = ArteryFrame.LARGE_FRAME_SIZE + " = 2 MiB\n";
    assertEquals(2 * MIB, load(1, THREE, largeFrame).system().getBytes(ArteryFrame.LARGE_FRAME_SIZE), "no destinations: unused, left alone");
    refused(THREE, largeFrame + ArteryFrame.LARGE_DESTINATIONS + " = [\"/user/raft\"]", 1, ArteryFrame.LARGE_FRAME_SIZE + ": 2097152 bytes");
  }

  @Test
  void limitsThatNoFrameCanCarryAreRefusedNamingTheSetting() {
    refused(THREE, "raftkv.kv.value-bytes-max = 40 MiB", 1, "raftkv.kv.value-bytes-max");
    refused(THREE, "raftkv.kv.value-bytes-max = 40 MiB", 1, "64 MiB");
    refused(THREE, "raftkv.raft.append-bytes-max = 100 MiB", 1, "raftkv.raft.append-bytes-max: an AppendEntries would take up to");
    refused(THREE, "raftkv.raft.snapshot-chunk-bytes = 64 MiB", 1, "raftkv.raft.snapshot-chunk-bytes: an InstallSnapshot chunk");
    refused(THREE, "raftkv.kv.scan-bytes-max = 64 MiB", 1, "raftkv.kv.scan-bytes-max: a scan's answer");
    // Even a user's own larger frame cannot lift them: a message is at most 64 MiB.
    refused(THREE, "raftkv.kv.value-bytes-max = 40 MiB\n" + ArteryFrame.FRAME_SIZE + " = 200 MiB", 1, "raftkv.kv.value-bytes-max");
    // Just below the ceiling is accepted: 31 MiB values make a cas of 62 MiB.
    assertTrue(load(1, THREE, "raftkv.kv.value-bytes-max = 31 MiB").system().getBytes(ArteryFrame.FRAME_SIZE) > 62 * MIB);
  }

  @Test
  void anInboxByteBoundBelowTheLargestWriteIsRefused() {
    refused(THREE, "raftkv.http.inbox-bytes-max = 2 MiB", 1, "raftkv.http.inbox-bytes-max: 2097152 bytes cannot hold the largest write");
    refused(THREE, "raftkv.http.inbox-bytes-max = 0", 1, "raftkv.http.inbox-bytes-max: must be >= 1");
    assertEquals(64 * MIB, load(1, THREE, "").gateway().inboxBytesMax());
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

  @Test
  void arteryRunsTcpUnlessTlsIsOnAndATransportSetByHandThatSaysOtherwiseIsRefused() {
    assertEquals("tcp", load(1, THREE, "").system().getString("pekko.remote.artery.transport"));
    refused(THREE, "pekko.remote.artery.transport = tls-tcp", 1, "contradicts raftkv.tls.enabled = off");
    refused(THREE, "pekko.remote.artery.transport = aeron-udp", 1, "pekko.remote.artery.transport = aeron-udp");
  }

  @Test
  void tlsWithoutItsMaterialIsRefusedNamingTheMissingFileAndTheCommandThatMakesIt() {
    refused(THREE, "raftkv.tls { enabled = on, dir = tls }", 2, dir.resolve("tls").resolve("ca.pem") + " does not exist: run 'raftkv certs init'");
  }

  /** The TLS material of {@link #THREE}'s nodes, tokens and session key included, in {@code dir/tls} (tokens in {@code dir/run}). */
  private void material() throws IOException {
    new TlsInit(new TlsFiles(dir.resolve("tls")), dir.resolve("run"), false, line -> { }).run(ClusterLayout.from(ConfigFactory.parseString(THREE)));
  }

  private static final String SECURE = "raftkv.tls { enabled = on, dir = tls }\nraftkv.auth { enabled = on, tokens-file = tls/tokens.conf }\n";

  @Test
  void authenticationReadsTheTokensAndTheSessionKeyAndRefusesEitherMissingNamingIt() throws IOException {
    refused(THREE, "raftkv.auth.enabled = on", 1, "raftkv.auth.enabled = on, but raftkv.auth.tokens-file " + dir.resolve("conf/tls/tokens.conf")
        + ": no such tokens file: run 'raftkv certs init'");
    material();
    NodeConfig c = load(1, THREE, SECURE);
    assertTrue(c.auth().enabled());
    assertEquals(3, c.auth().tokens().entries().size());
    assertTrue(!load(1, THREE, "").auth().enabled(), "off by default");
    Files.delete(dir.resolve("tls/session.key"));
    refused(THREE, SECURE, 1, "the session key (in raftkv.tls.dir) " + dir.resolve("tls/session.key") + ": no such session key file: run");
    Files.writeString(dir.resolve("tls/tokens.conf"), "raftkv.auth.tokens = [ { name = x } ]");
    refused(THREE, SECURE, 1, "raftkv.auth.tokens-file " + dir.resolve("tls/tokens.conf") + ": raftkv.auth.tokens[0]: no ");
  }

  @Test
  void aHostBeyondLoopbackIsRefusedUnlessTlsAndAuthAreOnOrTheNetworkIsDeclaredTrusted() throws IOException {
    String open = THREE.replace("host = \"127.0.0.1\", artery-port = 25522", "host = \"10.1.2.3\", artery-port = 25522");
    refused(open, "", 2, "raftkv.cluster.nodes (id 2) host 10.1.2.3 is not a loopback address, and raftkv.tls.enabled = off,"
        + " raftkv.auth.enabled = off");
    refused(open, "", 2, "or set raftkv.insecure = on");
    assertEquals("10.1.2.3", load(2, open, "raftkv.insecure = on").self().host(), "the escape");
    assertEquals("127.0.0.1", load(1, open, "").self().host(), "only the node's own host counts");
    material();
    refused(open, "raftkv.tls { enabled = on, dir = tls }", 2, "raftkv.tls.enabled = on, raftkv.auth.enabled = off");
    assertTrue(load(2, open, SECURE).auth().enabled(), "TLS and authentication both on");
    refused(THREE, "pekko.remote.artery.bind.hostname = \"0.0.0.0\"", 1, "pekko.remote.artery.bind.hostname 0.0.0.0 is not a loopback address");
    assertEquals("localhost", load(1, THREE.replace("\"127.0.0.1\", artery-port = 25521", "\"localhost\", artery-port = 25521"), "").self().host());
  }

  @Test
  void bindAddressesDefaultToTheHostsOthersReachTheNodeAt() {
    NodeConfig plain = load(2, THREE, "");
    assertEquals(java.util.List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"),
        java.util.List.of(plain.self().bindHost(), plain.self().httpHost(), plain.self().httpBindHost()));
    assertEquals("", plain.system().getString("pekko.remote.artery.bind.hostname"), "Pekko's default: bind where canonical is");
    assertEquals("http://127.0.0.1:8082", plain.self().httpUrl());

    String split = THREE.replace("host = \"127.0.0.1\", artery-port = 25522",
        "host = \"localhost\", bind-host = \"127.0.0.1\", http-host = \"127.0.0.3\", artery-port = 25522");
    NodeConfig c = load(2, split, "");
    assertEquals("localhost", c.system().getString("pekko.remote.artery.canonical.hostname"), "peers dial host");
    assertEquals("127.0.0.1", c.system().getString("pekko.remote.artery.bind.hostname"));
    assertEquals(25522, c.system().getInt("pekko.remote.artery.canonical.port"), "ports unchanged");
    assertEquals("http://127.0.0.3:8082", c.self().httpUrl(), "clients reach http-host");
    assertEquals("127.0.0.3", c.self().httpBindHost(), "http-bind-host defaults to http-host");
    assertEquals(java.util.List.of("localhost", "127.0.0.3"), c.self().advertisedHosts(), "what its certificate names");
    assertEquals("127.0.0.2", load(2, split.replace("http-host = \"127.0.0.3\"", "http-host = \"127.0.0.3\", http-bind-host = \"127.0.0.2\""), "")
        .self().httpBindHost());
  }

  @Test
  void aBindAddressThatIsNoAddressOrBeyondLoopbackIsRefusedNamingItsKey() {
    String node2 = "host = \"127.0.0.1\", artery-port = 25522";
    refused(THREE.replace(node2, node2 + ", bind-host = \"no-such-host.invalid\""), "", 2,
        "raftkv.cluster.nodes (id 2) bind-host: 'no-such-host.invalid' is neither an IP address nor a name this host resolves");
    refused(THREE.replace(node2, node2 + ", http-bind-host = \"no-such-host.invalid\""), "", 2, "raftkv.cluster.nodes (id 2) http-bind-host: ");
    refused(THREE.replace(node2, node2 + ", http-host = \" \""), "", 2, "raftkv.cluster.nodes[1]: ");
    load(1, THREE.replace(node2, node2 + ", bind-host = \"no-such-host.invalid\""), ""); // another node's is checked on its own host

    refused(THREE.replace(node2, node2 + ", bind-host = \"0.0.0.0\""), "", 2,
        "raftkv.cluster.nodes (id 2) bind-host 0.0.0.0 is not a loopback address, and raftkv.tls.enabled = off");
    refused(THREE.replace(node2, node2 + ", http-bind-host = \"0.0.0.0\""), "", 2,
        "raftkv.cluster.nodes (id 2) http-bind-host 0.0.0.0 is not a loopback address");
    assertEquals("0.0.0.0", load(2, THREE.replace(node2, node2 + ", http-bind-host = \"0.0.0.0\""), "raftkv.insecure = on").self().httpBindHost());
    refused(THREE.replace(node2, node2 + ", bind-host = \"127.0.0.2\""), "pekko.remote.artery.bind.hostname = \"127.0.0.3\"", 2,
        "contradicts raftkv.cluster.nodes (id 2) bind-host = 127.0.0.2");
  }
}
