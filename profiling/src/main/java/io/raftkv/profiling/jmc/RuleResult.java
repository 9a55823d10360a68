package io.raftkv.profiling.jmc;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One rule's result on one recording.
 *
 * @param id JMC's rule id, e.g. {@code GcPauseRatio}
 * @param name the rule's name, e.g. "GC Pauses"
 * @param topic JMC's topic, e.g. {@code garbage_collection}
 * @param score JMC's score, 0-100 (25 and above is information, 75 and above a warning); null when the
 *     rule gave none (some rules set only a severity) or had no result
 * @param summary the rule's one-line finding, with its figures filled in; only for a rule that fired
 * @param explanation why it matters; only for a rule that fired, and only when the rule gave one
 * @param solution what to do about it; likewise
 * @param failure what went wrong, for {@link Verdict#FAILED} and {@link Verdict#TIMED_OUT}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleResult(String id, String name, String topic, Verdict verdict, Double score, String summary,
                         String explanation, String solution, String failure) {

  static RuleResult failed(String id, String name, String topic, Verdict verdict, String failure) {
    return new RuleResult(id, name, topic, verdict, null, null, null, null, failure);
  }
}
