package io.raftkv.profiling.analysis;

import jdk.jfr.consumer.RecordedEvent;

/** {@code jdk.ExecutionSample}: frames, areas, threads. */
final class CpuCollector {
  private final StackCache stacks;
  private final FrameStats frames = new FrameStats();
  // the leaves of raftkv's own samples, so that the JIT compiler or GC cannot top the list a reader acts on
  private final Tally ownLeaves = new Tally();
  private final AreaShares areas = new AreaShares();
  private final Tally threads = new Tally();
  private long samples;
  private long ownSamples;

  CpuCollector(StackCache stacks) {
    this.stacks = stacks;
  }

  void accept(RecordedEvent event) {
    samples++;
    StackInfo stack = stacks.of(event.getStackTrace());
    String thread = ThreadNames.of(event);
    frames.add(stack);
    Area area = stack.area(thread);
    areas.add(area);
    if (area.raftkvOwn()) {
      ownSamples++;
      ownLeaves.add(stack.leaf(), 1);
    }
    threads.add(thread == null ? "(unknown)" : thread, 1);
  }

  CpuReport report(int topN) {
    return new CpuReport(samples, ownSamples, areas.shares(samples), frames.topSelf(topN, samples),
        frames.topTotal(topN, samples), ownLeaves.top(topN, ownSamples), threads.top(topN, samples));
  }
}
