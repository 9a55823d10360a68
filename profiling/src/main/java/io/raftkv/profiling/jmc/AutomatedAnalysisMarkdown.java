package io.raftkv.profiling.jmc;

import java.util.List;
import java.util.Locale;

/** {@link AutomatedAnalysis} as Markdown, for {@code raftkv jfr} and a profile run's {@code summary.md}. */
final class AutomatedAnalysisMarkdown {
  private AutomatedAnalysisMarkdown() {}

  static String render(AutomatedAnalysis analysis) {
    StringBuilder out = new StringBuilder();
    if (analysis.error() != null) {
      return out.append("Not run: ").append(analysis.error()).append("\n\n").toString();
    }
    List<RuleResult> fired = analysis.fired();
    out.append(String.format(Locale.ROOT, "%d rules in %.1f s: %d warning, %d information, %d ok, %d not applicable"
            + " (the recording lacks their events)%s.%n%n",
        analysis.rules(), analysis.elapsedMs() / 1000.0, analysis.count(Verdict.WARNING), analysis.count(Verdict.INFO),
        analysis.count(Verdict.OK), analysis.count(Verdict.NOT_APPLICABLE),
        analysis.failed().isEmpty() ? "" : ", " + analysis.failed().size() + " without a result"));
    if (!fired.isEmpty()) {
      out.append("| rule | level | score | finding |\n| --- | --- | ---: | --- |\n");
      for (RuleResult r : fired) {
        out.append("| ").append(cell(r.name())).append(" (`").append(cell(r.id())).append("`) | ")
            .append(r.verdict().words()).append(" | ")
            .append(r.score() == null ? "" : String.format(Locale.ROOT, "%.0f", r.score())).append(" | ")
            .append(cell(r.summary() == null ? "" : r.summary())).append(" |\n");
      }
      out.append('\n');
    }
    for (RuleResult r : analysis.failed()) {
      out.append("- `").append(r.id()).append("` ").append(r.verdict().words())
          .append(": ").append(r.failure()).append('\n');
    }
    if (!analysis.failed().isEmpty()) {
      out.append('\n');
    }
    return out.toString();
  }

  /** Text for a table cell: one line, no pipes. */
  private static String cell(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ").replace("|", "\\|").trim();
  }
}
