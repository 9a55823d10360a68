package io.raftkv.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every operation against a fake node, and what each answer becomes. */
@Timeout(60)
class RaftkvClientTest {
  private FakeGateway node;
  private RaftkvClient client;

  @BeforeEach
  void start() throws IOException {
    node = new FakeGateway();
    client = RaftkvClient.builder(List.of(node.url())).timeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void putThenGetReadsTheValueAndAMissingKeyIsEmpty() {
    client.put("k1", b("v1"));
    assertArrayEquals(b("v1"), client.get("k1").orElseThrow());
    assertEquals(Optional.empty(), client.get("nope"));
    client.put("k1", b("v2"));
    assertArrayEquals(b("v2"), client.get("k1", Consistency.SERIALIZABLE).orElseThrow());
    assertTrue(node.requests().get(node.requests().size() - 1).query().contains("consistency=serializable"));
    assertTrue(node.requests().stream().filter(r -> r.method().equals("GET") && r.path().startsWith("/v1/kv/"))
        .findFirst().orElseThrow().query().contains("consistency=linearizable"));
  }

  @Test
  void keysAreOnePathSegmentAndValuesRawBytes() {
    byte[] binary = {0, (byte) 0xff, '\n', 'x', (byte) 0x80};
    for (String key : List.of("a b/c+d?e#f", "ü€", ".", "..", "%41")) {
      client.put(key, binary);
      assertArrayEquals(binary, node.value(key), key);
      assertArrayEquals(binary, client.get(key).orElseThrow(), key);
    }
    assertNull(node.value("A")); // "%41" was stored as itself, not decoded twice
    client.put("empty", new byte[0]);
    assertArrayEquals(new byte[0], client.get("empty").orElseThrow());
  }

  @Test
  void appendCreatesThenExtends() {
    client.append("log", b("a"));
    client.append("log", b("bc"));
    assertArrayEquals(b("abc"), client.get("log").orElseThrow());
  }

  @Test
  void deleteSaysWhetherTheKeyWasThere() {
    client.put("d", b("x"));
    assertTrue(client.delete("d"));
    assertFalse(client.delete("d"));
    assertEquals(Optional.empty(), client.get("d"));
  }

  @Test
  void casSwapsOrReportsTheCurrentValue() {
    assertEquals(new CasResult.Swapped(), client.cas("c", Optional.empty(), b("1")));
    assertEquals(new CasResult.Mismatch(Optional.of(b("1"))), client.cas("c", Optional.empty(), b("2")));
    assertEquals(new CasResult.Mismatch(Optional.of(b("1"))), client.cas("c", Optional.of(b("9")), b("2")));
    assertTrue(client.cas("c", Optional.of(b("1")), b("2")).swapped());
    assertArrayEquals(b("2"), node.value("c"));
    CasResult missing = client.cas("other", Optional.of(b("1")), b("2"));
    assertEquals(new CasResult.Mismatch(Optional.empty()), missing);
    assertTrue(node.requests().get(node.requests().size() - 1).query().equals("expected=1"));
    assertEquals("expected=a%20b%2Bc", queryOf(() -> client.cas("x", Optional.of(b("a b+c")), b("v"))));
  }

  private String queryOf(Runnable call) {
    call.run();
    return node.requests().get(node.requests().size() - 1).query();
  }

  @Test
  void scanReturnsOrderedEntriesWithAPrefixAndALimit() {
    for (String k : List.of("b2", "a1", "b1", "b3", "c1")) {
      client.put(k, b("v-" + k));
    }
    ScanResult b = client.scan("b", 10);
    assertEquals(List.of(new KvEntry("b1", b("v-b1")), new KvEntry("b2", b("v-b2")), new KvEntry("b3", b("v-b3"))),
        b.entries());
    assertFalse(b.truncated());
    ScanResult limited = client.scan("", 2);
    assertEquals(List.of("a1", "b1"), limited.entries().stream().map(KvEntry::key).toList());
    assertTrue(limited.truncated());
    assertThrows(IllegalArgumentException.class, () -> client.scan("", 0));
  }

  @Test
  void clusterStatusListsTheMembers() {
    ClusterStatus status = client.clusterStatus();
    assertEquals(OptionalInt.of(1), status.leader());
    assertEquals(3, status.term());
    assertEquals(new NodeStatus(1, node.url().toString(), "LEADER", 3, 10, 10, true, 2684354560L, 2147483648L, true),
        status.nodes().get(0));
    assertEquals(new NodeStatus(2, "http://127.0.0.1:1", "FOLLOWER", 3, 9, 8, false, -1, -1, false), status.nodes().get(1));
  }

  @Test
  void healthOfOneNode() throws IOException {
    assertEquals(Health.HEALTHY, client.health(node.url()));
    try (FakeGateway noLeader = new FakeGateway().notMe()) {
      assertEquals(Health.NO_LEADER, client.health(noLeader.url()));
    }
    assertEquals(Health.UNREACHABLE, client.withTimeout(Duration.ofSeconds(2)).health(closedPort()));
  }

  @Test
  void writesCarryOneSessionAndRisingSequenceNumbersReadsNone() {
    client.get("k");
    client.put("k", b("1"));
    client.append("k", b("2"));
    client.delete("k");
    client.cas("k", Optional.empty(), b("3"));
    List<FakeGateway.Request> requests = node.requests();
    assertEquals(1, requests.stream().filter(r -> r.path().equals("/v1/session")).count());
    assertNull(requests.get(0).clientId());
    List<FakeGateway.Request> writes = requests.stream()
        .filter(r -> !r.method().equals("GET") && !r.path().equals("/v1/session")).toList();
    assertEquals(List.of("17", "17", "17", "17"), writes.stream().map(FakeGateway.Request::clientId).toList());
    assertEquals(List.of("1", "2", "3", "4"), writes.stream().map(FakeGateway.Request::seq).toList());
    assertEquals(17, client.sessionId());

    RaftkvClient other = client.withNewSession();
    other.put("k", b("4"));
    assertEquals(18, other.sessionId());
    assertEquals("1", node.requests().get(node.requests().size() - 1).seq());
  }

  @Test
  void withoutExactlyOnceWritesCarryNoSession() {
    RaftkvClient plain = RaftkvClient.builder(List.of(node.url())).exactlyOnce(false).build();
    plain.put("k", b("1"));
    assertEquals(1, node.requests().size());
    assertNull(node.requests().get(0).clientId());
  }

  @Test
  void refusalsAreTypedAndArgumentsCheckedBeforeSending() {
    String longKey = "k".repeat(FakeGateway.KEY_BYTES_MAX + 1);
    RaftkvRejectedException tooLarge = assertThrows(RaftkvRejectedException.class, () -> client.put(longKey, b("v")));
    assertEquals(413, tooLarge.status());
    assertEquals("too-large", tooLarge.error());
    assertTrue(tooLarge.isClientError());
    assertFalse(tooLarge.mayHaveTakenEffect());

    int before = node.requests().size();
    assertThrows(IllegalArgumentException.class, () -> client.put("", b("v")));
    RaftkvClient small = RaftkvClient.builder(List.of(node.url())).bodyBytesMax(8).build();
    assertThrows(IllegalArgumentException.class, () -> small.put("k", new byte[9]));
    assertEquals(before, node.requests().size());

    client.put("big", new byte[9]);
    RaftkvProtocolException overBound = assertThrows(RaftkvProtocolException.class, () -> small.get("big"));
    assertTrue(overBound.getMessage().contains("over the client's bound"), overBound.getMessage());
  }

  @Test
  void a507IsAQuotaExceededExceptionWithTheSizesAndNoEffect() {
    node.quotaBytes(10);
    client.put("k", b("0123456789")); // 11 bytes: over the quota from here on
    RaftkvQuotaExceededException full = assertThrows(RaftkvQuotaExceededException.class, () -> client.put("k2", b("v")));
    assertEquals(507, full.status());
    assertEquals(11, full.stateBytes());
    assertEquals(10, full.quotaBytes());
    assertEquals("quota exceeded", full.error());
    assertTrue(full.detail().contains("raftkv.kv.quota-bytes"), full.detail());
    assertFalse(full.mayHaveTakenEffect(), "refused at apply: no effect");
    assertFalse(full.isClientError());
    assertThrows(RaftkvQuotaExceededException.class, () -> client.append("k", b("!")));
    assertEquals(Optional.of("0123456789"), client.get("k").map(v -> new String(v, UTF_8)));
    assertTrue(client.delete("k"));
    client.put("k2", b("v")); // under the quota again
  }

  @Test
  void nodeUrlsAreChecked() {
    assertEquals(URI.create("http://h:1"), RaftkvClient.nodeUrl(" http://h:1/ "));
    assertThrows(IllegalArgumentException.class, () -> RaftkvClient.nodeUrl("ftp://h:1"));
    assertThrows(IllegalArgumentException.class, () -> RaftkvClient.nodeUrl("http://h:1/?q"));
    assertThrows(IllegalArgumentException.class, () -> RaftkvClient.nodeUrl("h:1"));
    assertThrows(IllegalArgumentException.class, () -> RaftkvClient.of(List.of()));
  }

  /** A loopback port nothing listens on (it was free a moment ago). */
  static URI closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }
}
