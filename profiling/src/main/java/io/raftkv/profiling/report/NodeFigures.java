package io.raftkv.profiling.report;

import io.raftkv.profiling.analysis.AreaShare;
import io.raftkv.profiling.analysis.JfrReport;
import io.raftkv.profiling.analysis.RaftkvEventReport;
import io.raftkv.profiling.analysis.WalSyncReport;
import java.util.Locale;

/** The figures of one node's recording that a later run compares against. */
final class NodeFigures {
  private NodeFigures() {}

  static void add(Figures f, String prefix, JfrReport r) {
    f.put(prefix + "cpu_samples", r.cpu().samples());
    f.put(prefix + "cpu_own_samples", r.cpu().ownSamples());
    for (AreaShare a : r.cpu().areas()) {
      String area = prefix + "area." + a.area().name().toLowerCase(Locale.ROOT);
      f.put(area + "_pct", a.percent());
      // the four areas and other as shares of raftkv's own samples, as the summary shows them
      if (a.ownPercent() != null) f.put(area + "_own_pct", a.ownPercent());
    }
    f.put(prefix + "alloc_bytes", r.allocation().bytes());
    f.put(prefix + "gc.collections", r.gc().collections());
    f.put(prefix + "gc.pause_total_ms", r.gc().totalPauseMs());
    f.put(prefix + "gc.pause_max_ms", r.gc().maxPauseMs());
    f.put(prefix + "fsync.count", r.fsync().count());
    f.put(prefix + "fsync.p99_ms", r.fsync().duration().p99Ms());
    // RocksDB's WAL syncs (raftkv.JournalSync), all of the node's stores: the count, and the mean
    // latency weighted by each store's syncs
    long walSyncs = 0;
    double walSyncMs = 0;
    for (WalSyncReport s : r.fsync().rocksDbWal()) {
      walSyncs += s.syncs();
      if (s.meanMs() != null) walSyncMs += s.meanMs() * s.syncs();
    }
    f.put(prefix + "fsync.wal_syncs", walSyncs);
    if (walSyncs > 0) f.put(prefix + "fsync.wal_sync_mean_ms", walSyncMs / walSyncs);
    f.put(prefix + "socket.read_bytes", r.sockets().read().bytes());
    f.put(prefix + "socket.write_bytes", r.sockets().write().bytes());
    for (RaftkvEventReport e : r.raftkvEvents()) {
      f.put(prefix + e.name() + ".count", e.count());
      if (e.duration() != null && e.duration().count() > 0) f.put(prefix + e.name() + ".p99_ms", e.duration().p99Ms());
    }
  }
}
