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

  @Test
  void theConfigurationAndEachMembersLagAreExported() {
    NodeMetrics metrics = new NodeMetrics();
    var config = io.raftkv.persistence.raftlog.Configuration.bootstrap(java.util.List.of(1, 2, 3))
        .with(new io.raftkv.persistence.raftlog.Member(4, "127.0.0.1", 2554, 8084, 7, false, true));
    metrics.members(new io.raftkv.raft.RaftNode.Members(1, 1, 500, 420, true, config, java.util.Map.of(2, 500L, 3, 490L, 4, 120L)));
    String text = new String(metrics.scrape(), StandardCharsets.UTF_8);
    assertTrue(text.contains("raftkv_raft_configuration_index 420"), text);
    assertTrue(text.contains("raftkv_raft_voters 3"), text);
    assertTrue(text.contains("raftkv_raft_learners 1"), text);
    assertTrue(text.contains("raftkv_raft_member_lag_entries{member=\"4\",role=\"learner\"} 380"), text);
    assertTrue(text.contains("raftkv_raft_member_lag_entries{member=\"3\",role=\"voter\"} 10"), text);
  }

  @Test
  void impossiblePeerMessagesAreCountedByType() {
    NodeMetrics metrics = new NodeMetrics();
    metrics.peerMessageInvalid(1, 2, "AppendEntries", "prevLogIndex -1 < 0");
    metrics.peerMessageInvalid(1, 3, "AppendEntries", "entry 5 has term 1, after term 2: terms go backwards");
    metrics.peerMessageInvalid(1, 2, "TimeoutNow", "a leader's term is >= 1, was 0");
    String text = new String(metrics.scrape(), StandardCharsets.UTF_8);
    assertTrue(text.contains("raftkv_raft_peer_messages_invalid_total{type=\"AppendEntries\"} 2"), text);
    assertTrue(text.contains("raftkv_raft_peer_messages_invalid_total{type=\"TimeoutNow\"} 1"), text);
  }
}
