package io.raftkv.profiling.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parses a real Gatling 3.15.1 report: MixedSimulation, 20 users/s x 5 ops for 3 s, over one live
 * gateway and one dead URL (so about half the requests failed with "Connection refused").
 */
class GatlingStatsTest {
  @TempDir Path dir;

  private static String report() throws IOException {
    try (InputStream in = GatlingStatsTest.class.getResourceAsStream("mixed-report-index.html")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsTheGlobalRowAndOneRowPerRequestName() throws IOException {
    GatlingStats stats = GatlingStats.parseIndexHtml(report());
    assertEquals(new GatlingStats.RequestStats(282, 142, 140, 94, 0, 4, 8, 15, 73, 136, 6), stats.global());
    assertEquals(List.of("get", "put"), stats.requestNames());
    assertEquals(new GatlingStats.RequestStats(83, 43, 40, 27.67, 0, 3, 7, 13, 136, 136, 7), stats.request("get").orElseThrow());
    assertEquals(new GatlingStats.RequestStats(199, 99, 100, 66.33, 0, 4, 8, 14, 22, 106, 5), stats.request("put").orElseThrow());
    assertTrue(stats.request("delete").isEmpty());
    assertEquals("282 requests, 140 failed, 94.0 req/s, p50 4 ms, p95 15 ms, p99 73 ms, max 136 ms", stats.summary());
  }

  @Test
  void readsAReportFolderAndRoundTripsThroughJson() throws IOException {
    Files.writeString(dir.resolve("index.html"), report());
    GatlingStats stats = GatlingStats.fromReport(dir);
    Path json = dir.resolve(GatlingStats.JSON_FILE);
    stats.write(json);
    assertEquals(stats, GatlingStats.read(json));
    assertTrue(Files.readString(json).contains("\"meanRequestsPerSecond\" : 94.0"), Files.readString(json));
  }

  @Test
  void aMissingOrForeignReportIsAClearError() throws IOException {
    assertTrue(assertThrows(IOException.class, () -> GatlingStats.fromReport(dir)).getMessage().contains("index.html is missing"));
    Files.writeString(dir.resolve("index.html"), "<html><body>not a report</body></html>");
    assertTrue(assertThrows(IOException.class, () -> GatlingStats.fromReport(dir)).getMessage().contains("no Stats table"));
    Files.writeString(dir.resolve("index.html"), report().replace("99th pct", "99.9th pct"));
    assertTrue(assertThrows(IOException.class, () -> GatlingStats.fromReport(dir)).getMessage().contains("no column for p99"));
  }
}
