package io.raftkv.profiling.analysis;

import jdk.jfr.consumer.RecordedEvent;

/** {@code jdk.ExecutionSample}: frames, areas, threads. */
final class CpuCollector {
  private final StackCache stacks;
  private final FrameStats frames = new FrameStats();
  private final AreaShares areas = new AreaShares();
  private final Tally threads = new Tally();
  private long samples;

  CpuCollector(StackCache stacks) {
    this.stacks = stacks;
  }

  void accept(RecordedEvent event) {
    samples++;
    StackInfo stack = stacks.of(event.getStackTrace());
    String thread = ThreadNames.of(event);
    frames.add(stack);
    areas.add(stack.area(thread));
    threads.add(thread == null ? "(unknown)" : thread, 1);
  }

  CpuReport report(int topN) {
    return new CpuReport(samples, areas.shares(samples), frames.topSelf(topN, samples),
        frames.topTotal(topN, samples), threads.top(topN, samples));
  }
}
