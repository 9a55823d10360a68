package io.raftkv.profiling.analysis;

import jdk.jfr.consumer.RecordedEvent;

/** Allocation events of one source: bytes per site and per class. */
final class AllocationCollector {
  static final String SAMPLE = "jdk.ObjectAllocationSample";
  static final String IN_NEW_TLAB = "jdk.ObjectAllocationInNewTLAB";
  static final String OUTSIDE_TLAB = "jdk.ObjectAllocationOutsideTLAB";

  private final String source;
  private final StackCache stacks;
  private final Tally sites = new Tally();
  private final Tally classes = new Tally();
  private long events;
  private long bytes;

  AllocationCollector(String source, StackCache stacks) {
    this.source = source;
    this.stacks = stacks;
  }

  void accept(RecordedEvent event) {
    long weight = weight(event);
    events++;
    bytes += weight;
    sites.add(stacks.of(event.getStackTrace()).site(), weight);
    classes.add(FrameNames.className(event.hasField("objectClass") ? event.getClass("objectClass") : null), weight);
  }

  long events() {
    return events;
  }

  static long weight(RecordedEvent event) {
    if (event.hasField("weight")) {
      return event.getLong("weight");
    }
    long tlab = event.hasField("tlabSize") ? event.getLong("tlabSize") : 0;
    return tlab != 0 ? tlab : event.getLong("allocationSize");
  }

  AllocationReport report(int topN) {
    return new AllocationReport(source, events, bytes, sites.top(topN, bytes), classes.top(topN, bytes));
  }
}
