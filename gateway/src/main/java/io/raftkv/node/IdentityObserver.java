package io.raftkv.node;

import io.raftkv.persistence.raftlog.Member;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftObserver;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * What the node's identity makes of Raft's news: it writes the cluster id into the data directory's
 * {@link NodeIdentity} once committed; when the node is removed it records that too and stops it
 * (exit {@link FatalStop#REMOVED}); when a member refuses its data directory it stops it (exit
 * {@link FatalStop#REFUSED}); and it logs messages the node refused (of another cluster or
 * directory, or impossible ones), at most once per peer and kind every
 * {@link #REFUSED_LOG_INTERVAL_SECONDS} seconds. Called on the Raft node's thread.
 */
final class IdentityObserver implements RaftObserver {
  static final long REFUSED_LOG_INTERVAL_SECONDS = 10;

  private NodeIdentity identity;
  private final Logger log;
  private final CompletableFuture<FatalStop> fatalStop;
  private final Runnable terminate;
  private final LongSupplier nanoTime;
  private final Map<Integer, Long> refusedLoggedAt = new HashMap<>(); // by peer: System.nanoTime() of the last line logged
  private final Map<Integer, Long> invalidLoggedAt = new HashMap<>(); // the same, for impossible messages

  IdentityObserver(NodeIdentity identity, Logger log, CompletableFuture<FatalStop> fatalStop, Runnable terminate, LongSupplier nanoTime) {
    this.identity = identity;
    this.log = log;
    this.fatalStop = fatalStop;
    this.terminate = terminate;
    this.nanoTime = nanoTime;
  }

  NodeIdentity identity() {
    return identity;
  }

  @Override
  public void clusterIdCommitted(int nodeId, long clusterId) {
    if (clusterId == identity.clusterId()) return;
    if (identity.clusterId() == 0) log.info("node {} belongs to cluster {}", nodeId, Member.hex(clusterId));
    identity = identity.withClusterId(clusterId);
  }

  @Override
  public void removed(int nodeId, long configurationIndex) {
    identity = identity.removed(configurationIndex);
    stop(nodeId, FatalStop.removed(configurationIndex));
  }

  @Override
  public void refused(int nodeId, RaftMessage.IncarnationRefused r) {
    stop(nodeId, FatalStop.refused(nodeId, r.refuserId(), r.senderIncarnation(), r.knownIncarnation()));
  }

  @Override
  public void peerRefused(int nodeId, int peerId, String reason) {
    if (!logNow(refusedLoggedAt, peerId)) return;
    log.warn("node {} ignores node {}: {} (logged at most every {} s)", nodeId, peerId, reason, REFUSED_LOG_INTERVAL_SECONDS);
  }

  @Override
  public void peerMessageInvalid(int nodeId, int peerId, String kind, String reason) {
    if (!logNow(invalidLoggedAt, peerId)) return;
    log.warn("node {} refused a {} claiming to come from node {}, as no correct node sends it: {} (logged at most every {} s per peer;"
        + " raftkv_raft_peer_messages_invalid_total counts them all)", nodeId, kind, peerId, reason, REFUSED_LOG_INTERVAL_SECONDS);
  }

  /** Whether a line about {@code peerId} may be logged now, by when the last one was ({@code loggedAt}); notes it if so. */
  private boolean logNow(Map<Integer, Long> loggedAt, int peerId) {
    long now = nanoTime.getAsLong();
    Long last = loggedAt.get(peerId);
    if (last != null && now - last < TimeUnit.SECONDS.toNanos(REFUSED_LOG_INTERVAL_SECONDS)) return false;
    loggedAt.put(peerId, now);
    return true;
  }

  private void stop(int nodeId, FatalStop stop) {
    log.warn("node {} stops, exit code {}: {}", nodeId, stop.exitCode(), stop.reason());
    fatalStop.complete(stop);
    terminate.run();
  }
}
