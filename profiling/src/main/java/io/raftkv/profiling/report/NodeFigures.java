package io.raftkv.profiling.report;

import io.raftkv.profiling.analysis.AreaShare;
import io.raftkv.profiling.analysis.JfrReport;
import io.raftkv.profiling.analysis.RaftkvEventReport;
import java.util.Locale;

/** The figures of one node's recording that a later run compares against. */
final class NodeFigures {
  private NodeFigures() {}

  static void add(Figures f, String prefix, JfrReport r) {
    f.put(prefix + "cpu_samples", r.cpu().samples());
    for (AreaShare a : r.cpu().areas()) f.put(prefix + "area." + a.area().name().toLowerCase(Locale.ROOT) + "_pct", a.percent());
    f.put(prefix + "alloc_bytes", r.allocation().bytes());
    f.put(prefix + "gc.collections", r.gc().collections());
    f.put(prefix + "gc.pause_total_ms", r.gc().totalPauseMs());
    f.put(prefix + "gc.pause_max_ms", r.gc().maxPauseMs());
    f.put(prefix + "fsync.count", r.fsync().count());
    f.put(prefix + "fsync.p99_ms", r.fsync().duration().p99Ms());
    f.put(prefix + "socket.read_bytes", r.sockets().read().bytes());
    f.put(prefix + "socket.write_bytes", r.sockets().write().bytes());
    for (RaftkvEventReport e : r.raftkvEvents()) {
      f.put(prefix + e.name() + ".count", e.count());
      if (e.duration() != null && e.duration().count() > 0) f.put(prefix + e.name() + ".p99_ms", e.duration().p99Ms());
    }
  }
}
