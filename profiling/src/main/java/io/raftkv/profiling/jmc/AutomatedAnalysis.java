package io.raftkv.profiling.jmc;

import java.util.Comparator;
import java.util.List;

/**
 * JDK Mission Control's automated analysis of one recording: every rule's {@link RuleResult}, sorted by
 * rule id. Plain records, so Jackson writes them as JSON.
 *
 * @param rules how many rules were run
 * @param elapsedMs loading the recording and running the rules, in milliseconds
 * @param error why there are no results (the recording could not be loaded, or loading it outlasted
 *     the time limit); null when the rules ran
 * @param results one per rule, sorted by id; empty with an error
 */
public record AutomatedAnalysis(int rules, long elapsedMs, String error, List<RuleResult> results) {

  /** The rules that fired (JMC's information or warning level): warnings first, then by score, highest first. */
  public List<RuleResult> fired() {
    return results.stream().filter(r -> r.verdict().fired())
        .sorted(Comparator.comparing(RuleResult::verdict)
            .thenComparing(r -> r.score() == null ? 0 : -r.score())
            .thenComparing(RuleResult::id))
        .toList();
  }

  /** The rules that threw or had no result in time. */
  public List<RuleResult> failed() {
    return results.stream().filter(r -> r.verdict() == Verdict.FAILED || r.verdict() == Verdict.TIMED_OUT).toList();
  }

  /** How many rules ended with {@code verdict}. */
  public long count(Verdict verdict) {
    return results.stream().filter(r -> r.verdict() == verdict).count();
  }

  /** Markdown without a heading: one line of counts, a table of the rules that fired, the rules that failed. */
  public String toMarkdown() {
    return AutomatedAnalysisMarkdown.render(this);
  }
}
