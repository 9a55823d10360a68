package io.raftkv.profiling.jmc;

import org.openjdk.jmc.flightrecorder.rules.Severity;

/** What one rule of JDK Mission Control's automated analysis said of a recording, or why it said nothing. */
public enum Verdict {
  /** JMC's warning level: a score of 75 or more. */
  WARNING("warning"),
  /** JMC's information level: a score of 25 or more. */
  INFO("information"),
  OK("ok"),
  /** The recording lacks the events the rule needs. */
  NOT_APPLICABLE("not applicable"),
  /** The rule asked to be ignored on this recording. */
  IGNORED("ignored"),
  /** The rule threw. */
  FAILED("failed"),
  /** The rule had no result within the time limit. */
  TIMED_OUT("timed out");

  private final String words;

  Verdict(String words) {
    this.words = words;
  }

  /** Words for a report, e.g. "information". */
  public String words() {
    return words;
  }

  /** Whether the rule fired: JMC's information or warning level. */
  public boolean fired() {
    return this == WARNING || this == INFO;
  }

  static Verdict of(Severity severity) {
    return switch (severity) {
      case WARNING -> WARNING;
      case INFO -> INFO;
      case OK -> OK;
      case NA -> NOT_APPLICABLE;
      case IGNORE -> IGNORED;
    };
  }
}
