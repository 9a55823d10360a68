package io.raftkv.profiling.analysis;

import java.util.List;

/**
 * What the analysis needs of one stack trace, computed once per distinct trace.
 *
 * @param rootToLeaf the frames, root first
 * @param distinct each frame once (for inclusive counts: a recursive frame counts once per sample)
 * @param leaf the top frame, or "(no stack)"
 * @param site the leaf-most frame of our code ({@code io.raftkv.}), else the leaf
 * @param frameRule the rule of the leaf-most matching frame, null if none matches
 */
record StackInfo(List<String> rootToLeaf, List<String> distinct, String leaf, String site,
                 AreaMapping.Rule frameRule) {
  static final String NO_STACK = "(no stack)";
  static final StackInfo EMPTY = new StackInfo(List.of(), List.of(), NO_STACK, NO_STACK, null);

  /** The area of this stack sampled on {@code threadName}: thread rules first, then the frame rule. */
  Area area(String threadName) {
    AreaMapping.Rule rule = AreaMapping.threadRule(threadName);
    if (rule == null) {
      rule = frameRule;
    }
    return rule == null ? Area.OTHER : rule.area();
  }
}
