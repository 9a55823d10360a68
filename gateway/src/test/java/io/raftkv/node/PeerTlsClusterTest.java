package io.raftkv.node;

import static io.raftkv.node.InProcessNodes.await;
import static io.raftkv.node.InProcessNodes.up;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.kv.KvApi.Consistency;
import io.raftkv.kv.KvResponse;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.security.CertificateAuthority;
import io.raftkv.security.IssuedCertificate;
import io.raftkv.raft.RaftMessage;
import io.raftkv.security.PeerCertificates;
import io.raftkv.security.PeerProofs;
import io.raftkv.security.PemFiles;
import io.raftkv.security.TlsFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in one JVM with {@code raftkv.tls.enabled = on}: Artery runs tls-tcp with
 * {@link io.raftkv.security.PeerTls}. They form the cluster, elect a leader and serve a write and a
 * read, one of them a value at raftkv.kv.value-bytes-max (1.5 MiB). A node whose certificate another CA issued, a node that shows another node's
 * certificate, and a node without TLS cannot join: the cluster goes on committing without them, its term unchanged. A
 * member that writes another member's id into its messages is refused ({@link PeerProofs}).
 */
class PeerTlsClusterTest {
  private static final Duration UP_MAX = Duration.ofSeconds(60);
  /** How long a stranger is watched trying to get in: three of its join retries (raftkv's retry-unsuccessful-join-after = 2s). */
  private static final Duration OBSERVE = Duration.ofSeconds(6);
  @TempDir Path dir;
  private InProcessNodes nodes;

  @AfterEach
  void stopAll() {
    if (nodes != null) nodes.close();
  }

  /** The material of nodes 1..count issued by a new CA, in {@code tlsDir}. */
  private static void material(Path tlsDir, int count) throws IOException {
    CertificateAuthority ca = CertificateAuthority.create("test cluster CA");
    TlsFiles files = new TlsFiles(tlsDir);
    Files.createDirectories(tlsDir);
    PemFiles.writeCertificates(files.caCertificate(), java.util.List.of(ca.certificate()));
    for (int id = 1; id <= count; id++) {
      IssuedCertificate node = ca.issueNode(id, "127.0.0.1");
      PemFiles.writeCertificates(files.nodeCertificate(id), node.chain());
      PemFiles.writePrivateKey(files.nodeKey(id), node.privateKey());
    }
  }

  private static String tls(Path tlsDir) {
    return "raftkv.tls { enabled = on, dir = \"" + tlsDir.toString().replace("\\", "/") + "\" }\n";
  }

  private static LeaderRouter router(RaftkvNode node) {
    return new LeaderRouter(node.config().self().id(), node.raftRefs(), node.system().scheduler(), node.config().limits(), Duration.ofSeconds(2));
  }

  /** Retries a write until a leader takes it, with a deadline. */
  private static void write(RaftkvNode node, String key, String value) {
    LeaderRouter r = router(node);
    await("a leader to take " + key, () -> {
      KvResponse w = r.route(api -> api.put(RequestId.UNTRACKED, key, value.getBytes(StandardCharsets.UTF_8))).toCompletableFuture().join();
      return w instanceof KvResponse.Done;
    }, UP_MAX);
  }

  private static long term(RaftkvNode node) {
    return org.apache.pekko.actor.typed.javadsl.AskPattern.<io.raftkv.raft.RaftNode.Command, io.raftkv.raft.RaftNode.Status>ask(
        node.raft(), io.raftkv.raft.RaftNode.GetStatus::new, Duration.ofSeconds(2), node.system().scheduler()).toCompletableFuture().join().term();
  }

  /** Material for three nodes in {@code tlsDir}, and the three started over TLS and Up. */
  private RaftkvNode[] threeOverTls(Path tlsDir) throws IOException {
    material(tlsDir, 3);
    nodes = new InProcessNodes(dir, 3, tls(tlsDir));
    RaftkvNode n1 = nodes.start(1);
    RaftkvNode n2 = nodes.start(2);
    RaftkvNode n3 = nodes.start(3);
    await("three nodes Up over TLS", () -> up(n1, 3) && up(n2, 3) && up(n3, 3), UP_MAX);
    return new RaftkvNode[] {n1, n2, n3};
  }

  @Test
  void nodesOfTheClusterCaFormTheClusterAndServe() throws IOException {
    Path tlsDir = dir.resolve("tls");
    RaftkvNode[] n = threeOverTls(tlsDir);
    RaftkvNode n1 = n[0], n3 = n[2];
    assertEquals("tls-tcp", n1.system().settings().config().getString("pekko.remote.artery.transport"));
    write(n1, "k", "over tls");
    KvResponse read = router(n3).route(api -> api.get("k", Consistency.LINEARIZABLE)).toCompletableFuture().join();
    KvResult.Value v = assertInstanceOf(KvResult.Value.class, assertInstanceOf(KvResponse.Done.class, read).result());
    assertArrayEquals("over tls".getBytes(StandardCharsets.UTF_8), v.value());
    // At the limit: a value of raftkv.kv.value-bytes-max goes from node 1 to every node over TLS (one AppendEntries
    // as large as Artery's frame allows, with its proof of sender), and node 3 reads it back whole.
    int limit = n1.config().limits().valueBytesMax();
    byte[] big = new byte[limit];
    new java.util.Random(16).nextBytes(big);
    LeaderRouter r1 = router(n1);
    await("a leader to take the " + limit + "-byte value", () -> r1.route(api -> api.put(RequestId.UNTRACKED, "big", big))
        .toCompletableFuture().join() instanceof KvResponse.Done, UP_MAX);
    KvResponse bigRead = router(n3).route(api -> api.get("big", Consistency.LINEARIZABLE)).toCompletableFuture().join();
    assertArrayEquals(big, assertInstanceOf(KvResult.Value.class, assertInstanceOf(KvResponse.Done.class, bigRead).result()).value());
  }

  @Test
  @Tag("slow") // two observation windows of 6 s: the slower tier
  void aNodeOfAnotherCaOrWithAnotherNodesCertificateCannotJoin() throws IOException {
    Path tlsDir = dir.resolve("tls");
    material(tlsDir, 3);
    Path foreign = dir.resolve("foreign");
    material(foreign, 3); // another CA's node 3
    Path borrowed = dir.resolve("borrowed"); // the cluster CA's material, but node 3's files hold node 2's certificate and key
    material(borrowed, 0);
    Files.copy(tlsDir.resolve("ca.pem"), borrowed.resolve("ca.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    TlsFiles own = new TlsFiles(tlsDir);
    TlsFiles lent = new TlsFiles(borrowed);
    Files.copy(own.nodeCertificate(2), lent.nodeCertificate(3));
    Files.copy(own.nodeKey(2), lent.nodeKey(3));

    nodes = new InProcessNodes(dir, 3, tls(tlsDir));
    RaftkvNode n1 = nodes.start(1);
    RaftkvNode n2 = nodes.start(2);
    await("nodes 1 and 2 Up", () -> up(n1, 2) && up(n2, 2), UP_MAX);
    write(n1, "before", "1");
    long termBefore = term(n1);

    // Three strangers at node 3's place: another CA's node, one showing node 2's certificate, one without TLS.
    java.util.Map<String, String> strangers = new java.util.LinkedHashMap<>();
    strangers.put("another CA's", tls(foreign));
    strangers.put("node 2's certificate", tls(borrowed));
    strangers.put("no TLS", "raftkv.tls.enabled = off\n");
    int port3 = n1.config().layout().member(3).arteryPort();
    for (java.util.Map.Entry<String, String> stranger : strangers.entrySet()) {
      // The stranger before may take its time to let go of node 3's port (a stop ends once Artery's handshakes time out).
      await("node 3's port " + port3 + " free", () -> portFree(port3), UP_MAX);
      RaftkvNode n3 = nodes.start(3, stranger.getValue());
      long refusedBefore = n1.peerTls().orElseThrow().refusedHandshakes() + n2.peerTls().orElseThrow().refusedHandshakes();
      // Node 3 tries to join (its join is retried every 2 s) and to campaign. For an observation window of three
      // join retries the cluster keeps committing writes; node 3 must not get in meanwhile.
      long windowEnd = System.nanoTime() + OBSERVE.toNanos();
      int written = 0;
      while (System.nanoTime() < windowEnd) write(n1, "during-" + stranger.getKey() + "-" + written++, "v");
      assertTrue(written > 0);
      if (stranger.getKey().equals("node 2's certificate")) {
        assertTrue(n1.peerTls().orElseThrow().refusedHandshakes() + n2.peerTls().orElseThrow().refusedHandshakes() > refusedBefore,
            "dialling node 3 found node 2's certificate there, and refused it");
      }
      long members = java.util.stream.StreamSupport.stream(Cluster.get(n1.system()).state().getMembers().spliterator(), false).count();
      assertEquals(2, members, "node 3 (" + stranger.getKey() + ") is not a member of the Pekko cluster");
      assertEquals(termBefore, term(n1), "node 3 (" + stranger.getKey() + ") changed no term");
      System.out.printf("stranger with %s: %d writes committed in %d s while it tried, members 2, term %d unchanged%n", stranger.getKey(),
          written, OBSERVE.toSeconds(), termBefore);
      nodes.stop(n3);
    }
  }

  private static boolean portFree(int port) {
    try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException inUse) {
      return false;
    }
  }

  @Test
  void aMemberThatWritesAnotherMembersIdIntoItsMessagesIsRefused() throws IOException {
    Path tlsDir = dir.resolve("tls");
    RaftkvNode[] n = threeOverTls(tlsDir);
    RaftkvNode n1 = n[0], n3 = n[2];
    write(n1, "k", "v");
    long term = term(n1);
    // Node 3's process, with node 3's key, speaks to node 1 over its own TLS connection as if it were node 2.
    java.security.PrivateKey key3 = PemFiles.readPrivateKey(new TlsFiles(tlsDir).nodeKey(3));
    org.apache.pekko.actor.typed.ActorRef<io.raftkv.raft.RaftNode.Command> node1 = n3.members().raft(1);
    RaftMessage claimsTwo = new RaftMessage.HeartbeatResult(term, 2, 0);
    long before = n1.metrics().peerMessagesInvalid("HeartbeatResult");
    node1.tell(new PeerProofs(3, key3, new PeerCertificates()).seal(1, claimsTwo)); // node 3's proof on node 2's message
    node1.tell(new PeerProofs(2, key3, new PeerCertificates()).seal(1, claimsTwo)); // a proof saying node 2, signed with node 3's key
    node1.tell(claimsTwo); // no proof at all
    await("node 1 to refuse the three", () -> n1.metrics().peerMessagesInvalid("HeartbeatResult") >= before + 3, UP_MAX);
    // Node 3 speaking as itself is heard: the cluster still commits with it.
    write(n3, "after", "v");
    assertEquals(term, term(n1), "the forged messages changed no term");
  }
}
