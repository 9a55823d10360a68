package io.raftkv.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {
  @Test
  void theLastSnapshotsSizeAndWriteTimeAreExported() {
    NodeMetrics metrics = new NodeMetrics();
    metrics.snapshotWritten(1, 500, 1_000, 2_000_000_000L);
    metrics.snapshotWritten(1, 900, 3_145_728, 1_500_000_000L);
    String text = new String(metrics.scrape(), StandardCharsets.UTF_8);
    assertTrue(text.contains("raftkv_snapshot_last_bytes 3145728"), text);
    assertTrue(text.contains("raftkv_snapshot_last_write_seconds 1.5"), text);
    assertTrue(text.contains("raftkv_snapshots_written_total 2"), text);
  }
}
