package io.raftkv.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Retries, node finding, deadlines and exactly-once, against fake nodes that misbehave on purpose. */
@Timeout(60)
class RaftkvClientRetryTest {
  private FakeGateway node;

  @BeforeEach
  void start() throws IOException {
    node = new FakeGateway();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static RaftkvClient.Builder fast(List<URI> nodes) {
    return RaftkvClient.builder(nodes).timeout(Duration.ofSeconds(10))
        .backoff(Duration.ofMillis(1), Duration.ofMillis(20)).random(new Random(1));
  }

  @Test
  void retriesOf503KeepTheSameSequenceNumber() {
    RaftkvClient client = fast(List.of(node.url())).build();
    client.put("k", b("0")); // opens the session: seq 1
    node.unavailableFor(3, 0);
    client.append("k", b("1"));
    assertEquals(List.of("1"), node.seqsOf("/v1/kv/k"));
    assertEquals(List.of("2", "2", "2", "2"), node.seqsOf("/v1/kv/k/append"), "three 503s, then the answer");
    assertArrayEquals(b("01"), node.value("k"));
  }

  @Test
  void retryAfterIsHonoured() {
    RaftkvClient client = fast(List.of(node.url())).build();
    node.unavailableFor(1, 1);
    long start = System.nanoTime();
    assertEquals(java.util.Optional.empty(), client.get("k"));
    long elapsed = System.nanoTime() - start;
    assertTrue(elapsed >= 1_000_000_000L, "retried after " + elapsed / 1_000_000 + " ms, before Retry-After: 1");
    assertEquals(2, node.requests().size());
  }

  @Test
  void droppedConnectionsAreRetriedAndAWriteAppliedOnce() {
    RaftkvClient client = fast(List.of(node.url())).build();
    client.put("k", b("a"));
    node.dropAfterApplying(2); // applied, then the answer is lost: twice
    client.append("k", b("b"));
    assertArrayEquals(b("ab"), node.value("k"), "the retried append was applied once");
    List<String> seqs = node.seqsOf("/v1/kv/k/append");
    assertEquals(3, seqs.size());
    assertEquals(1, new HashSet<>(seqs).size(), "every retry carried the same sequence: " + seqs);

    node.dropBeforeApplying(2);
    client.append("k", b("c"));
    assertArrayEquals(b("abc"), node.value("k"));
    assertEquals(1, new HashSet<>(node.seqsOf("/v1/kv/k/append").subList(3, 6)).size());
  }

  @Test
  void withoutASessionAWriteThatMayHaveBeenDeliveredIsNotResent() {
    RaftkvClient client = fast(List.of(node.url())).exactlyOnce(false).build();
    node.dropAfterApplying(1);
    RaftkvTimeoutException lost = assertThrows(RaftkvTimeoutException.class, () -> client.append("k", b("x")));
    assertTrue(lost.mayHaveTakenEffect());
    assertEquals(1, node.requests().size());
    assertArrayEquals(b("x"), node.value("k"), "it did take effect, and only once");

    node.unavailableFor(1, 0);
    RaftkvUnavailableException refused = assertThrows(RaftkvUnavailableException.class,
        () -> client.append("k", b("y")));
    assertFalse(refused instanceof RaftkvTimeoutException);
    assertTrue(refused.mayHaveTakenEffect(), "a 503 may come after the leader appended the write");
  }

  @Test
  void aNodeThatSaysNotMeIsPassedAndTheAnsweringOneRemembered() throws IOException {
    try (FakeGateway notMe = new FakeGateway().notMe()) {
      RaftkvClient client = fast(List.of(notMe.url(), node.url())).build();
      client.put("k", b("v"));
      assertArrayEquals(b("v"), client.get("k").orElseThrow());
      client.append("k", b("w"));
      assertEquals(1, notMe.requests().size(), "only the first request went to the node without a leader");
      assertArrayEquals(b("vw"), node.value("k"));
    }
  }

  @Test
  void anUnreachableNodeIsPassed() throws IOException {
    RaftkvClient client = fast(List.of(RaftkvClientTest.closedPort(), node.url())).build();
    client.put("k", b("v"));
    assertArrayEquals(b("v"), node.value("k"));
  }

  @Test
  void aDeadlineWithARequestUnansweredIsATimeoutOfUnknownOutcome() {
    node.hang();
    RaftkvClient client = fast(List.of(node.url())).timeout(Duration.ofMillis(300)).exactlyOnce(false).build();
    long start = System.nanoTime();
    RaftkvTimeoutException read = assertThrows(RaftkvTimeoutException.class, () -> client.get("k"));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(elapsedMs >= 300 && elapsedMs < 5_000, "gave up after " + elapsedMs + " ms");
    assertFalse(read.mayHaveTakenEffect());
    RaftkvTimeoutException write = assertThrows(RaftkvTimeoutException.class, () -> client.put("k", b("v")));
    assertTrue(write.mayHaveTakenEffect());

    // with a session, the session's opening is what hangs: the write itself was never sent
    RaftkvClient session = fast(List.of(node.url())).timeout(Duration.ofMillis(300)).build();
    assertFalse(assertThrows(RaftkvTimeoutException.class, () -> session.put("k", b("v"))).mayHaveTakenEffect());
  }

  @Test
  void aBodyThatStallsAfterTheHeadersIsBoundedByTheDeadline() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Thread stalling = new Thread(() -> {
        List<Socket> open = new ArrayList<>();
        try {
          while (true) {
            Socket s = server.accept();
            open.add(s); // kept open, never finished
            s.getInputStream().read(new byte[8192]);
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(UTF_8));
            s.getOutputStream().flush();
          }
        } catch (IOException closed) {
          // the test is over
        }
      }, "stalling-node");
      stalling.setDaemon(true);
      stalling.start();
      RaftkvClient client = fast(List.of(URI.create("http://127.0.0.1:" + server.getLocalPort())))
          .timeout(Duration.ofMillis(300)).build();
      long start = System.nanoTime();
      RaftkvTimeoutException e = assertThrows(RaftkvTimeoutException.class, () -> client.get("k"));
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMs >= 300 && elapsedMs < 5_000, "gave up after " + elapsedMs + " ms");
      assertTrue(e.getMessage().contains("did not answer in time"), e.getMessage());
    }
  }

  @Test
  void anUnreachableClusterIsUnavailableWithinTheDeadline() throws IOException {
    RaftkvClient client = fast(List.of(RaftkvClientTest.closedPort(), RaftkvClientTest.closedPort()))
        .timeout(Duration.ofMillis(500)).build();
    long start = System.nanoTime();
    RaftkvUnavailableException e = assertThrows(RaftkvUnavailableException.class, () -> client.put("k", b("v")));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertFalse(e instanceof RaftkvTimeoutException, e.getMessage());
    assertFalse(e.mayHaveTakenEffect());
    assertTrue(elapsedMs < 5_000, "gave up after " + elapsedMs + " ms");
    assertTrue(e.getMessage().contains("could not be connected"), e.getMessage());
  }

  @Test
  void aClusterWithoutLeaderIsUnavailableAndAWriteMayHaveTakenEffect() {
    RaftkvClient client = fast(List.of(node.url())).timeout(Duration.ofMillis(500)).build();
    client.put("k", b("v"));
    node.notMe();
    RaftkvUnavailableException e = assertThrows(RaftkvUnavailableException.class, () -> client.put("k", b("w")));
    assertInstanceOf(RaftkvUnavailableException.class, e);
    assertFalse(e instanceof RaftkvTimeoutException);
    assertTrue(e.mayHaveTakenEffect());
    List<String> seqs = node.seqsOf("/v1/kv/k");
    assertTrue(seqs.size() > 3, "retried until the deadline: " + seqs.size());
    assertEquals(1, new HashSet<>(seqs.subList(1, seqs.size())).size());
  }

  @Test
  void attemptsAreBounded() {
    node.notMe();
    RaftkvClient client = fast(List.of(node.url())).attemptsMax(3).build();
    RaftkvUnavailableException e = assertThrows(RaftkvUnavailableException.class, () -> client.get("k"));
    assertEquals(3, node.requests().size());
    assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
  }

  @Test
  void aRetryAfterBeyondTheDeadlineEndsTheCallAtOnce() {
    node.unavailableFor(1, 30);
    RaftkvClient client = fast(List.of(node.url())).timeout(Duration.ofSeconds(2)).build();
    long start = System.nanoTime();
    assertThrows(RaftkvUnavailableException.class, () -> client.get("k"));
    assertTrue(System.nanoTime() - start < 1_500_000_000L, "it waited instead of giving up");
    assertEquals(1, node.requests().size());
  }
}
