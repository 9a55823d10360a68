package io.raftkv.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.RaftObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's metrics in Prometheus text format: HTTP requests and their latency, Raft's term, commit
 * and applied index, log size, role changes, the durable log's persist latency, the last snapshot's
 * size and write time, and the key-value
 * state's size against its quota. One registry
 * per node (not the JVM-wide default), so several nodes can share a JVM in tests.
 */
public final class NodeMetrics implements RaftObserver {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests = Counter.builder().name("raftkv_http_requests_total")
      .help("HTTP requests answered, by route and status").labelNames("route", "status").register(registry);
  private final Histogram latency = Histogram.builder().name("raftkv_http_request_duration_seconds")
      .help("HTTP request latency, by route").labelNames("route").classicOnly()
      .classicExponentialUpperBounds(0.0001, 2, 18).register(registry);
  private final Counter roleChanges = Counter.builder().name("raftkv_raft_role_changes_total")
      .help("times this node took a role, by role").labelNames("role").register(registry);
  private final Histogram persistLatency = Histogram.builder().name("raftkv_raft_persist_duration_seconds")
      .help("time from sending a batch to the durable log to its acknowledgement").classicOnly()
      .classicExponentialUpperBounds(0.00005, 2, 18).register(registry);
  private final Counter persistedEvents = Counter.builder().name("raftkv_raft_persisted_events_total")
      .help("events made durable by the log").register(registry);
  private final Gauge term = gauge("raftkv_raft_term", "the node's current term");
  private final Gauge commitIndex = gauge("raftkv_raft_commit_index", "the highest log index known committed");
  private final Gauge appliedIndex = gauge("raftkv_raft_applied_index", "the highest log index applied to the state machine");
  private final Gauge logEntries = gauge("raftkv_raft_log_entries", "log entries after the last snapshot");
  private final Gauge leader = gauge("raftkv_raft_is_leader", "1 when this node leads");
  private final Gauge inboxRequests = gauge("raftkv_http_inbox_requests", "requests waiting for this node's Raft actor");
  private final Gauge gatewaySessions = gauge("raftkv_http_gateway_sessions", "the gateway's own client sessions open, idle or on loan");
  private final Gauge stateBytes = gauge("raftkv_kv_state_bytes", "the key-value state's size: UTF-8 key bytes plus value bytes over every key");
  private final Gauge quotaBytes = gauge("raftkv_kv_quota_bytes", "the space quota, raftkv.kv.quota-bytes");
  private final Gauge quotaAlarm = gauge("raftkv_kv_quota_alarm",
      "1 while the state is over its quota (writes that would grow it are refused with 507), else 0");
  private final Gauge snapshotBytes = gauge("raftkv_snapshot_last_bytes", "the size of the last snapshot this node wrote itself");
  private final Gauge snapshotSeconds = gauge("raftkv_snapshot_last_write_seconds",
      "how long the last snapshot this node wrote itself took to stream to its file, writes going on meanwhile");
  private final Counter snapshotsWritten = Counter.builder().name("raftkv_snapshots_written_total")
      .help("snapshots this node wrote itself (not those installed from a leader)").register(registry);
  private final Gauge configurationIndex = gauge("raftkv_raft_configuration_index",
      "the log index of the configuration in force (its entry's, or the snapshot's it came with)");
  private final Gauge voters = gauge("raftkv_raft_voters", "voters in the configuration in force");
  private final Gauge learners = gauge("raftkv_raft_learners", "learners (members that receive the log but do not vote) in the configuration in force");
  private final Gauge memberLag = Gauge.builder().name("raftkv_raft_member_lag_entries")
      .help("on the leader: entries each other member's log trails the leader's by, by member and role").labelNames("member", "role")
      .register(registry);
  private final Counter peerMessagesInvalid = Counter.builder().name("raftkv_raft_peer_messages_invalid_total")
      .help("messages from peers refused as impossible (no correct node sends them) or without a valid proof of their sender, by message type")
      .labelNames("type")
      .register(registry);
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  // The batch in flight and when it left (one at a time: the node persists one batch per turn).
  private final AtomicLong batchInFlight = new AtomicLong();
  private final AtomicLong batchStartedNanos = new AtomicLong();
  private final AtomicLong batchEvents = new AtomicLong();

  private Gauge gauge(String name, String help) {
    return Gauge.builder().name(name).help(help).register(registry);
  }

  void request(String route, int status, long startedNanos) {
    requests.labelValues(route, Integer.toString(status)).inc();
    latency.labelValues(route).observe((System.nanoTime() - startedNanos) / 1e9);
  }

  /** Takes the node's status into the gauges (at scrape time). */
  void status(RaftNode.Status s) {
    term.set(s.term());
    commitIndex.set(s.commitIndex());
    appliedIndex.set(s.lastApplied());
    logEntries.set(s.lastLogIndex() - s.snapshotIndex());
    leader.set(s.role() == RaftNode.Role.LEADER ? 1 : 0);
  }

  /** Takes the members as this node sees them into the gauges (at scrape time); the lags only on the leader. */
  void members(RaftNode.Members m) {
    configurationIndex.set(m.configurationIndex());
    voters.set(m.configuration().voters().size());
    learners.set(m.configuration().learners().size());
    memberLag.clear();
    for (var e : m.matchIndexes().entrySet()) {
      var member = m.configuration().member(e.getKey());
      if (member == null) continue; // removed, told so and about to be dropped
      memberLag.labelValues(Integer.toString(e.getKey()), member.role()).set(Math.max(0, m.lastIndex() - e.getValue()));
    }
  }

  /** Takes the state's size and quota into the gauges (at scrape time). */
  void stateSize(io.raftkv.node.StateSizeReporter.StateSize s) {
    stateBytes.set(s.stateBytes());
    quotaBytes.set(s.quotaBytes());
    quotaAlarm.set(s.alarm() ? 1 : 0);
  }

  /** Takes the gateway's queues into the gauges (at scrape time). */
  void gateway(int inboxWaiting, int sessionsOpen) {
    inboxRequests.set(inboxWaiting);
    gatewaySessions.set(sessionsOpen);
  }

  String contentType() {
    return writer.getContentType();
  }

  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** How many messages of {@code type} from peers were refused as impossible or unproven so far. */
  public long peerMessagesInvalid(String type) {
    return (long) peerMessagesInvalid.labelValues(type).get();
  }

  @Override
  public void peerMessageInvalid(int nodeId, int peerId, String kind, String reason) {
    peerMessagesInvalid.labelValues(kind).inc(); // kind is a message type's name: a bounded label
  }

  @Override
  public void roleChanged(int nodeId, long t, RaftNode.Role role) {
    roleChanges.labelValues(role.name().toLowerCase()).inc();
  }

  @Override
  public void snapshotWritten(int nodeId, long index, long bytes, long writeNanos) {
    snapshotBytes.set(bytes);
    snapshotSeconds.set(writeNanos / 1e9);
    snapshotsWritten.inc();
  }

  @Override
  public void persistStarted(int nodeId, long batch, int events) {
    batchInFlight.set(batch);
    batchEvents.set(events);
    batchStartedNanos.set(System.nanoTime());
  }

  @Override
  public void persistDone(int nodeId, long batch) {
    if (batch == batchInFlight.get()) {
      persistLatency.observe((System.nanoTime() - batchStartedNanos.get()) / 1e9);
      persistedEvents.inc(batchEvents.get());
    }
  }
}
