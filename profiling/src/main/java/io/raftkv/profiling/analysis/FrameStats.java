package io.raftkv.profiling.analysis;

import java.util.List;

/** Self samples (the frame was the leaf) and total samples (the frame was on the stack, once per stack). */
final class FrameStats {
  private final Tally self = new Tally();
  private final Tally total = new Tally();

  void add(StackInfo stack) {
    self.add(stack.leaf(), 1);
    for (String frame : stack.distinct()) {
      total.add(frame, 1);
    }
  }

  List<Share> topSelf(int n, long samples) {
    return self.top(n, samples);
  }

  List<Share> topTotal(int n, long samples) {
    return total.top(n, samples);
  }
}
