package io.raftkv.profiling.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording, from the JDK's recorder or async-profiler (or both merged, as
 * {@code asprof --jfrsync} writes). Events are read one at a time and only sums are kept, so memory
 * grows with the distinct frames, classes and event types, not with the size of the recording.
 */
public final class JfrAnalyzer {
  public static final int DEFAULT_TOP = 10;

  static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
  static final String WALL_CLOCK_SAMPLE = "profiler.WallClockSample";

  private final int topN;
  private final StackCache stacks = new StackCache();
  private final RecordingCollector recording = new RecordingCollector();
  private final CpuCollector cpu = new CpuCollector(stacks);
  private final AllocationCollector allocationSamples = new AllocationCollector(AllocationCollector.SAMPLE, stacks);
  private final AllocationCollector allocationTlab = new AllocationCollector(
      AllocationCollector.IN_NEW_TLAB + " + " + AllocationCollector.OUTSIDE_TLAB, stacks);
  private final LockCollector locks = new LockCollector();
  private final GcCollector gc = new GcCollector();
  private final FsyncCollector fsync = new FsyncCollector();
  private final WalSyncCollector walSyncs = new WalSyncCollector();
  private final SocketCollector sockets = new SocketCollector();
  private final RaftkvEventCollector raftkv = new RaftkvEventCollector();
  private long wallEvents;
  private long wallSamples;

  private JfrAnalyzer(int topN) {
    this.topN = topN;
  }

  /**
   * Reads {@code jfrFile} once and summarises it, with the {@code topN} largest entries of each list.
   *
   * @throws IOException if the file cannot be read or is not a JFR recording
   * @throws IllegalArgumentException if {@code topN < 1}
   */
  public static JfrReport analyze(Path jfrFile, int topN) throws IOException {
    if (topN < 1) {
      throw new IllegalArgumentException("topN must be at least 1: " + topN);
    }
    JfrAnalyzer analyzer = new JfrAnalyzer(topN);
    try (RecordingFile file = new RecordingFile(jfrFile)) {
      while (file.hasMoreEvents()) {
        analyzer.accept(file.readEvent());
      }
    }
    return analyzer.report(jfrFile.toString(), Files.size(jfrFile));
  }

  private void accept(RecordedEvent event) {
    String name = event.getEventType().getName();
    recording.accept(name, event);
    switch (name) {
      case EXECUTION_SAMPLE -> cpu.accept(event);
      case AllocationCollector.SAMPLE -> allocationSamples.accept(event);
      case AllocationCollector.IN_NEW_TLAB, AllocationCollector.OUTSIDE_TLAB -> allocationTlab.accept(event);
      case WALL_CLOCK_SAMPLE -> {
        wallEvents++;
        wallSamples += event.hasField("samples") ? Math.max(1, event.getLong("samples")) : 1;
      }
      case LockCollector.MONITOR_ENTER -> locks.acceptMonitorEnter(event);
      case LockCollector.THREAD_PARK -> locks.acceptPark(event);
      case GcCollector.GARBAGE_COLLECTION -> gc.acceptCollection(event);
      case GcCollector.PHASE_PAUSE -> gc.acceptPhasePause(event);
      case GcCollector.HEAP_SUMMARY -> gc.acceptHeapSummary(event);
      case FsyncCollector.FILE_FORCE -> fsync.accept(event);
      // periodic and cumulative: the fsync section's, not counted with the other raftkv events
      case WalSyncCollector.JOURNAL_SYNC -> walSyncs.accept(event);
      case SocketCollector.READ -> sockets.acceptRead(event);
      case SocketCollector.WRITE -> sockets.acceptWrite(event);
      default -> {
        if (name.startsWith(RaftkvEventCollector.PREFIX)) {
          raftkv.accept(name, event);
        }
      }
    }
  }

  private JfrReport report(String file, long fileBytes) {
    AllocationReport allocation = allocationSamples.events() > 0 ? allocationSamples.report(topN)
        : allocationTlab.events() > 0 ? allocationTlab.report(topN)
        : new AllocationReport("none", 0, 0, List.of(), List.of());
    return new JfrReport(recording.report(file, fileBytes, topN), cpu.report(topN), allocation,
        new WallReport(wallEvents, wallSamples), locks.report(topN), gc.report(topN), fsync.report(walSyncs.report()),
        sockets.report(), raftkv.report());
  }
}
