package io.raftkv.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftkv.client.KvEntry;
import io.raftkv.client.RaftkvClient;
import io.raftkv.client.ScanResult;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan's answer is bounded in bytes ({@code raftkv.kv.scan-bytes-max}) and continues after a key
 * ({@code after=K}): one real node with 64 KiB values and scans of at most 128 KiB; 30 keys of 20-64
 * KiB (about 1.2 MiB) take several pages, which {@link RaftkvClient#scanAll} follows.
 */
class ScanPagingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = 90_210L;
  @TempDir Path dir;
  private OneNodeGateway node;
  private RaftkvClient client;
  private final TreeMap<String, byte[]> written = new TreeMap<>();

  @BeforeEach
  void start() throws Exception {
    node = OneNodeGateway.start(dir, "raftkv.kv.key-bytes-max = 64\nraftkv.kv.value-bytes-max = 64 KiB\nraftkv.kv.scan-bytes-max = 128 KiB\n");
    client = RaftkvClient.builder(List.of(URI.create(node.base()))).timeout(Duration.ofSeconds(20)).build();
    Random random = new Random(SEED);
    for (int i = 0; i < 30; i++) {
      byte[] value = new byte[20 * 1024 + random.nextInt(44 * 1024 + 1)];
      random.nextBytes(value);
      String key = "p/" + Integer.toString(random.nextInt(100_000), 36) + "-" + i;
      client.put(key, value);
      written.put(key, value);
    }
    client.put("o/before", new byte[10]);
    client.put("q/after", new byte[10]);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private JsonNode scanOverHttp(String query, int status) throws Exception {
    HttpResponse<String> r = node.call("GET", "/v1/kv?" + query, null);
    assertEquals(status, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  @Test
  void aPageStopsAtTheByteBoundAndTheNextStartsAfterItsLastKey() throws Exception {
    JsonNode first = scanOverHttp("prefix=p%2F&limit=100", 200);
    assertTrue(first.get("truncated").asBoolean(), "1.2 MiB do not fit 128 KiB");
    int entries = first.get("entries").size();
    assertTrue(entries >= 1 && entries <= 6, "128 KiB hold 1 to 6 values of 20-64 KiB: " + entries);
    String last = first.get("entries").get(entries - 1).get("key").asText();
    assertEquals(new ArrayList<>(written.keySet()).get(entries - 1), last);
    JsonNode second = scanOverHttp("prefix=p%2F&limit=100&after=" + java.net.URLEncoder.encode(last, java.nio.charset.StandardCharsets.UTF_8), 200);
    assertEquals(written.higherKey(last), second.get("entries").get(0).get("key").asText(), "the next page starts right after");
    JsonNode serializable = scanOverHttp("prefix=p%2F&limit=100&consistency=serializable&after=" + last.replace("/", "%2F"), 200);
    assertEquals(second.get("entries").get(0).get("key"), serializable.get("entries").get(0).get("key"));
  }

  /** With the shipped 1 KiB keys: a next page's target, prefix and start key both at the key limit and fully percent-encoded, is accepted. */
  @Test
  void theLongestNextPageRequestFitsTheRequestTargetBound() {
    String layout = "raftkv.cluster.nodes = [ { id = 1, host = \"127.0.0.1\", artery-port = 25521, http-port = 8081, data-dir = \"n1\" } ]";
    io.raftkv.node.NodeConfig shipped = io.raftkv.node.NodeConfig.of(1, com.typesafe.config.ConfigFactory.parseString(layout), dir);
    String longestKey = "%E2%82%AC".repeat(shipped.limits().keyBytesMax() / 3); // every byte encoded
    String target = "/v1/kv?prefix=" + longestKey + "&after=" + longestKey + "&limit=" + shipped.limits().scanEntriesMax()
        + "&consistency=serializable";
    assertTrue(target.length() <= RequestBounds.of(shipped).uriLengthMin(), target.length() + " > " + RequestBounds.of(shipped).uriLengthMin());
  }

  @Test
  void aBadStartKeyIsRefused() throws Exception {
    scanOverHttp("prefix=p%2F&after=", 400);
    scanOverHttp("prefix=p%2F&after=" + "k".repeat(65), 413);
  }

  @Test
  void theClientFollowsThePagesAndReadsEveryValueByteForByte() {
    ScanResult all = client.scanAll("p/", 1000);
    assertFalse(all.truncated());
    assertEquals(new ArrayList<>(written.keySet()), all.entries().stream().map(KvEntry::key).toList(), "seed " + SEED);
    for (KvEntry e : all.entries()) assertArrayEquals(written.get(e.key()), e.value(), e.key());
    ScanResult ten = client.scanAll("p/", 10);
    assertEquals(10, ten.entries().size());
    assertTrue(ten.truncated(), "20 more keys follow");
    ScanResult page = client.scan("p/", 1000);
    assertTrue(page.truncated() && page.entries().size() < 30, "one page is cut by bytes: " + page.entries().size());
  }
}
