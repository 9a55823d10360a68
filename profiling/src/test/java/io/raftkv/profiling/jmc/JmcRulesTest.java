package io.raftkv.profiling.jmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.profiling.analysis.TestRecordings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IResultValueProvider;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;

/**
 * {@link JmcRules} on a JDK recording of the test workload, which ends with {@code System.gc()}: a full
 * collection under the JDK's collectors, which JMC's rule {@code FullGc} reports at its warning level.
 */
class JmcRulesTest {

  /** A rule of this test's own: it evaluates {@code body}, whatever the recording. */
  private record TestRule(String id, Callable<IResult> body) implements IRule {
    @Override public String getId() { return id; }
    @Override public String getTopic() { return "test"; }
    @Override public String getName() { return id; }
    @Override public Map<String, EventAvailability> getRequiredEvents() { return Map.of(); }
    @Override public Collection<TypedPreference<?>> getConfigurationAttributes() { return List.of(); }
    @Override public Collection<TypedResult<?>> getResults() { return List.of(); }

    @Override
    public RunnableFuture<IResult> createEvaluation(IItemCollection items, IPreferenceValueProvider preferences,
                                                    IResultValueProvider dependencies) {
      return new FutureTask<>(body);
    }
  }

  private static RuleResult result(AutomatedAnalysis analysis, String id) {
    return analysis.results().stream().filter(r -> r.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError(id + " not among " + analysis.results()));
  }

  @Test
  void everyRuleOfJmcHasAResultOnARealRecording() {
    AutomatedAnalysis analysis = JmcRules.analyze(TestRecordings.jdkRecording(), JmcRules.DEFAULT_TIME_LIMIT);

    assertNull(analysis.error());
    int rules = RuleRegistry.getRules().size();
    assertTrue(rules > 50, "JMC 9.1 has some 70 rules, the registry " + rules);
    assertEquals(rules, analysis.rules());
    assertEquals(rules, analysis.results().size());
    List<String> ids = analysis.results().stream().map(RuleResult::id).toList();
    assertEquals(ids.stream().sorted().toList(), ids, "sorted by id");
    assertTrue(analysis.failed().isEmpty(), () -> "failed: " + analysis.failed());

    // the rule on GC pauses ran on the recording's collections
    RuleResult pauses = result(analysis, "GcPauseRatio");
    assertTrue(pauses.verdict() != Verdict.NOT_APPLICABLE, () -> "GcPauseRatio: " + pauses);
    // the workload's System.gc() was a full collection
    RuleResult fullGc = result(analysis, "FullGc");
    assertEquals(Verdict.WARNING, fullGc.verdict(), () -> "FullGc: " + fullGc);
    assertTrue(analysis.fired().contains(fullGc));

    for (RuleResult fired : analysis.fired()) {
      assertTrue(fired.summary() != null && !fired.summary().isBlank() && !fired.summary().contains("{"),
          () -> "a fired rule's summary, filled in: " + fired);
      if (fired.score() != null) {
        // JMC's levels: information from 25, warning from 75
        assertTrue(fired.score() >= 25 && fired.score() <= 100, () -> "score of " + fired);
        assertEquals(fired.score() >= 75, fired.verdict() == Verdict.WARNING, () -> "level of " + fired);
      }
    }
    for (RuleResult quiet : analysis.results()) {
      if (!quiet.verdict().fired()) {
        assertNull(quiet.summary(), () -> "only fired rules carry their text: " + quiet);
      }
    }
    String markdown = analysis.toMarkdown();
    assertTrue(markdown.contains("(`FullGc`) | warning |"), markdown);
    assertTrue(markdown.startsWith(rules + " rules in "), markdown);
  }

  @Test
  void aRuleThatThrowsOrNeverEndsDoesNotSinkTheOthers() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    List<IRule> rules = new ArrayList<>();
    for (IRule rule : RuleRegistry.getRules()) {
      // two rules that depend on no other rule
      if (rule.getId().equals("FullGc") || rule.getId().equals("GcPauseRatio")) {
        rules.add(rule);
      }
    }
    assertEquals(2, rules.size());
    rules.add(new TestRule("Throws", () -> {
      throw new IllegalStateException("a broken rule");
    }));
    rules.add(new TestRule("NeverEnds", () -> {
      // held until the test ends, far beyond the time limit; a bounded wait so that no thread outlives the JVM
      release.await(5, TimeUnit.MINUTES);
      return null;
    }));
    try {
      long start = System.nanoTime();
      AutomatedAnalysis analysis = JmcRules.analyze(TestRecordings.jdkRecording(), rules, Duration.ofSeconds(8));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

      assertNull(analysis.error());
      assertTrue(seconds < 30, "the time limit held: " + seconds + " s");
      assertEquals(Verdict.FAILED, result(analysis, "Throws").verdict());
      assertTrue(result(analysis, "Throws").failure().contains("a broken rule"), () -> "" + result(analysis, "Throws"));
      assertEquals(Verdict.TIMED_OUT, result(analysis, "NeverEnds").verdict());
      assertEquals(Verdict.WARNING, result(analysis, "FullGc").verdict(), () -> "" + analysis.results());
      assertTrue(result(analysis, "GcPauseRatio").score() != null, () -> "" + analysis.results());
      assertEquals(2, analysis.failed().size());
      String markdown = analysis.toMarkdown();
      assertTrue(markdown.contains("- `NeverEnds` timed out") && markdown.contains("- `Throws` failed"), markdown);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aFileThatIsNotARecordingIsAnErrorNotAnException() throws IOException {
    Path text = Files.writeString(Files.createTempFile(TestRecordings.testDir(), "text", ".jfr"), "not a recording\n");
    AutomatedAnalysis analysis = JmcRules.analyze(text, Duration.ofSeconds(30));
    assertNotNull(analysis.error());
    assertTrue(analysis.error().startsWith("the recording could not be loaded"), analysis.error());
    assertTrue(analysis.results().isEmpty());
    assertTrue(analysis.toMarkdown().startsWith("Not run: "), analysis.toMarkdown());
  }
}
