package io.raftkv.profiling.analysis;

import java.util.List;
import java.util.Locale;

/** {@link JfrReport} as Markdown: a level-2 heading, level-3 sections, tables. */
final class MarkdownReport {
  private final StringBuilder out = new StringBuilder();

  private MarkdownReport() {}

  static String render(JfrReport report, String title) {
    MarkdownReport md = new MarkdownReport();
    md.line("## " + title);
    md.blank();
    md.recording(report.recording());
    md.cpu(report.cpu());
    md.allocation(report.allocation());
    md.wall(report.wall());
    md.locks(report.locks());
    md.gc(report.gc());
    md.fsync(report.fsync());
    md.sockets(report.sockets());
    md.raftkv(report.raftkvEvents());
    md.eventTypes(report.recording());
    return md.out.toString();
  }

  private void recording(RecordingInfo info) {
    line("`" + info.file() + "` (" + bytes(info.fileBytes()) + "): "
        + (info.start() == null ? "no events." : info.start() + " to " + info.end() + ", "
        + String.format(Locale.ROOT, "%.1f s", info.durationSeconds()) + ", " + count(info.events()) + " events."));
    if (info.jvm() != null) {
      line("JVM: " + info.jvm() + (info.javaArguments() == null || info.javaArguments().isBlank() ? ""
          : "; main: `" + code(info.javaArguments()) + "`") + ".");
    }
    blank();
  }

  private void cpu(CpuReport cpu) {
    section("CPU samples");
    if (cpu.samples() == 0) {
      none("jdk.ExecutionSample");
      return;
    }
    line(count(cpu.samples()) + " samples (`jdk.ExecutionSample`), " + count(cpu.ownSamples())
        + " of them raftkv's own (all but the JVM runtime's). By area (docs/PROFILING.md, \"Areas\"):");
    blank();
    header("area", "samples", "% of all", "% of raftkv's own");
    for (AreaShare share : cpu.areas()) {
      row(share.area().label(), count(share.samples()), percent(share.percent()),
          share.ownPercent() == null ? "" : percent(share.ownPercent()));
    }
    blank();
    shares("Top frames by self samples (running):", "frame", "samples", cpu.topSelf(), true, false);
    shares("Top frames by total samples (on the stack):", "frame", "samples", cpu.topTotal(), true, false);
    shares("Top frames by self samples among raftkv's own (% of those):", "frame", "samples", cpu.topSelfOwn(), true,
        false);
    shares("Threads:", "thread", "samples", cpu.topThreads(), false, false);
  }

  private void allocation(AllocationReport allocation) {
    section("Allocation");
    if (allocation.events() == 0) {
      none("jdk.ObjectAllocationSample, jdk.ObjectAllocationInNewTLAB or jdk.ObjectAllocationOutsideTLAB");
      return;
    }
    line(count(allocation.events()) + " samples (`" + allocation.source() + "`) standing for "
        + bytes(allocation.bytes()) + ".");
    blank();
    shares("Top allocation sites (leaf-most raftkv frame, else the top frame):", "site", "bytes",
        allocation.topSites(), true, true);
    shares("Top classes:", "class", "bytes", allocation.topClasses(), true, true);
  }

  private void wall(WallReport wall) {
    section("Wall clock");
    if (wall.events() == 0) {
      none("profiler.WallClockSample (async-profiler's wall mode)");
      return;
    }
    line(count(wall.samples()) + " samples in " + count(wall.events()) + " events (`profiler.WallClockSample`).");
    blank();
  }

  private void locks(LockReport locks) {
    section("Locks");
    if (locks.monitorEvents() == 0 && locks.parkEvents() == 0) {
      none("jdk.JavaMonitorEnter or jdk.ThreadPark");
      return;
    }
    contentions("Blocked entering monitors (`jdk.JavaMonitorEnter`): " + events(locks.monitorEvents())
        + ", " + millis(locks.monitorTotalMs()) + " ms in all.", "monitor class", locks.monitors());
    contentions("Parked (`jdk.ThreadPark`): " + events(locks.parkEvents()) + ", "
        + millis(locks.parkTotalMs()) + " ms in all.", "parked on", locks.parks());
  }

  private void contentions(String intro, String what, List<Contention> contentions) {
    line(intro);
    blank();
    if (contentions.isEmpty()) {
      return;
    }
    header("#", what, "events", "total ms", "max ms");
    int n = 1;
    for (Contention c : contentions) {
      row(String.valueOf(n++), "`" + code(c.className()) + "`", count(c.events()), millis(c.totalMs()),
          millis(c.maxMs()));
    }
    blank();
  }

  private void gc(GcReport gc) {
    section("GC");
    if (gc.collections() == 0) {
      none("jdk.GarbageCollection or jdk.GCPhasePause");
      return;
    }
    header("collections", "total pause ms", "max pause ms", "max heap after GC", "source");
    row(count(gc.collections()), millis(gc.totalPauseMs()), millis(gc.maxPauseMs()),
        gc.maxHeapAfterGcBytes() == null ? "n/a" : bytes(gc.maxHeapAfterGcBytes()), "`" + gc.source() + "`");
    blank();
    if (!gc.byCollector().isEmpty()) {
      StringBuilder collectors = new StringBuilder("Collectors:");
      for (Share share : gc.byCollector()) {
        collectors.append(' ').append(share.name()).append(" ").append(count(share.value())).append(',');
      }
      collectors.setLength(collectors.length() - 1);
      line(collectors + ".");
      blank();
    }
  }

  private void fsync(FsyncReport fsync) {
    section("fsync");
    walSyncs(fsync.rocksDbWal());
    if (fsync.count() == 0) {
      line("JVM file forces: none (`jdk.FileForce`, `FileChannel.force` called from Java).");
      blank();
      return;
    }
    line("JVM file forces (`jdk.FileForce`, `FileChannel.force` called from Java):");
    blank();
    DurationSummary d = fsync.duration();
    header("`jdk.FileForce` events", "total ms", "p50 ms", "p99 ms", "max ms");
    row(count(fsync.count()), millis(d.totalMs()), millis(d.p50Ms()), millis(d.p99Ms()), millis(d.maxMs()));
    blank();
  }

  private void walSyncs(List<WalSyncReport> stores) {
    if (stores.isEmpty()) {
      line("RocksDB WAL syncs: none (the recording holds no `raftkv.JournalSync` events; raftkv's persistence"
          + " emits them, per open store each second, while a recording enables them).");
      blank();
      return;
    }
    line("RocksDB WAL syncs (`raftkv.JournalSync`: RocksDB's own statistics, per open store each second):");
    blank();
    header("store", "fsync", "over", "syncs", "writes", "WAL bytes", "mean ms", "p50 ms", "p99 ms", "max ms");
    boolean anySinceOpen = false;
    for (WalSyncReport s : stores) {
      anySinceOpen |= s.sinceOpen();
      row("`" + code(s.directory()) + "`", s.fsync() ? "on" : "off",
          s.sinceOpen() ? "since open" : String.format(Locale.ROOT, "%.1f s", s.spanSeconds()), count(s.syncs()),
          count(s.writes()), bytes(s.walBytes()), s.meanMs() == null ? "" : millis(s.meanMs()), millis(s.p50Ms()),
          millis(s.p99Ms()), millis(s.maxMs()));
    }
    blank();
    line("Syncs, writes, WAL bytes and the mean are the growth from a store's first event to its last (\"over\")."
        + " p50, p99 and max are RocksDB's histogram since the store opened, as of the last event.");
    if (anySinceOpen) {
      line("\"since open\": the store had one event only, so its figures are since the store opened (about when"
          + " the node started), not during the recording.");
    }
    blank();
  }

  private void sockets(SocketReport sockets) {
    section("Socket I/O");
    if (sockets.read().events() == 0 && sockets.write().events() == 0) {
      none("jdk.SocketRead or jdk.SocketWrite (only calls above the threshold are recorded)");
      return;
    }
    header("event", "events", "bytes", "total ms");
    row("`jdk.SocketRead`", count(sockets.read().events()), bytes(sockets.read().bytes()),
        millis(sockets.read().totalMs()));
    row("`jdk.SocketWrite`", count(sockets.write().events()), bytes(sockets.write().bytes()),
        millis(sockets.write().totalMs()));
    blank();
  }

  private void raftkv(List<RaftkvEventReport> events) {
    section("raftkv events");
    if (events.isEmpty()) {
      none("raftkv.*");
      return;
    }
    header("event", "count", "entries", "bytes", "p50 ms", "p99 ms", "max ms");
    for (RaftkvEventReport e : events) {
      DurationSummary d = e.duration();
      row("`" + code(e.name()) + "`", count(e.count()), e.entries() == null ? "" : count(e.entries()),
          e.bytes() == null ? "" : bytes(e.bytes()), d == null ? "" : millis(d.p50Ms()),
          d == null ? "" : millis(d.p99Ms()), d == null ? "" : millis(d.maxMs()));
    }
    blank();
  }

  private void eventTypes(RecordingInfo info) {
    section("Event types");
    if (info.eventTypes().isEmpty()) {
      none("events");
      return;
    }
    shares(info.eventTypeCount() > info.eventTypes().size()
        ? "The " + info.eventTypes().size() + " most frequent of " + info.eventTypeCount() + ":"
        : "All " + info.eventTypeCount() + ":", "event type", "events", info.eventTypes(), true, false);
  }

  private void shares(String intro, String what, String unit, List<Share> shares, boolean asCode, boolean asBytes) {
    if (shares.isEmpty()) {
      return;
    }
    line(intro);
    blank();
    header("#", what, unit, "%");
    int n = 1;
    for (Share share : shares) {
      row(String.valueOf(n++), asCode ? "`" + code(share.name()) + "`" : cell(share.name()),
          asBytes ? bytes(share.value()) : count(share.value()), percent(share.percent()));
    }
    blank();
  }

  private void section(String name) {
    line("### " + name);
    blank();
  }

  private void none(String events) {
    line("None: the recording holds no " + events + " events.");
    blank();
  }

  private void header(String... cells) {
    row(cells);
    StringBuilder rule = new StringBuilder("|");
    for (int i = 0; i < cells.length; i++) {
      rule.append(" --- |");
    }
    line(rule.toString());
  }

  private void row(String... cells) {
    line("| " + String.join(" | ", cells) + " |");
  }

  private void line(String text) {
    out.append(text).append('\n');
  }

  private void blank() {
    out.append('\n');
  }

  /** Text for inside a code span in a table cell: no pipes, no backticks. */
  static String code(String text) {
    return text.replace("`", "'").replace("|", "\\|");
  }

  static String cell(String text) {
    return text.replace("|", "\\|");
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String events(long n) {
    return count(n) + (n == 1 ? " event" : " events");
  }

  static String percent(double percent) {
    return String.format(Locale.ROOT, "%.1f", percent);
  }

  static String millis(double ms) {
    return String.format(Locale.ROOT, ms >= 100 ? "%,.0f" : "%.3f", ms);
  }

  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes / 1024.0;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
