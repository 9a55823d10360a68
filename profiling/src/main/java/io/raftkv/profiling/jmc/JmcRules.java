package io.raftkv.profiling.jmc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.ResultToolkit;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit;

/**
 * Runs JDK Mission Control's automated analysis (the rules of {@code flightrecorder.rules.jdk}, as JMC's
 * "Automated Analysis Results" page shows them) on one recording, within a time limit: a rule that
 * throws is reported as failed, one without a result by the deadline as timed out, and the others'
 * results stand.
 */
public final class JmcRules {
  /** Loading a node's recording of a minute and running the rules takes a few seconds on 2 cores. */
  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(60);

  // JMC's parser warns on stderr about each event type that async-profiler's --jfrsync merge declares
  // twice; the warnings say nothing about the recording's content. JUL holds loggers weakly: keep it.
  private static final Logger JMC_LOG = Logger.getLogger("org.openjdk.jmc");

  static {
    JMC_LOG.setLevel(Level.SEVERE);
  }

  private JmcRules() {}

  /** Every rule of JMC's registry on {@code jfr}, within {@code timeLimit}. */
  public static AutomatedAnalysis analyze(Path jfr, Duration timeLimit) {
    return analyze(jfr, RuleRegistry.getRules(), timeLimit);
  }

  /** {@code rules} on {@code jfr}, within {@code timeLimit} (loading the recording included). */
  static AutomatedAnalysis analyze(Path jfr, Collection<IRule> rules, Duration timeLimit) {
    long start = System.nanoTime();
    long deadline = start + timeLimit.toNanos();
    // JMC starts its rule threads as plain threads, which inherit this one's daemon flag: a rule that
    // never ends then cannot keep the JVM from exiting
    ExecutorService starter = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "jmc-rules");
      thread.setDaemon(true);
      return thread;
    });
    try {
      Future<Map<IRule, Future<IResult>>> started = starter.submit(() -> {
        IItemCollection events = JfrLoaderToolkit.loadEvents(jfr.toFile());
        return RulesToolkit.evaluateParallel(rules, events, null, 0);
      });
      Map<IRule, Future<IResult>> futures;
      try {
        futures = started.get(remaining(deadline), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        started.cancel(true);
        return new AutomatedAnalysis(rules.size(), millisSince(start), "loading the recording took longer than the"
            + " time limit of " + timeLimit.toSeconds() + " s", List.of());
      } catch (ExecutionException e) {
        return new AutomatedAnalysis(rules.size(), millisSince(start), "the recording could not be loaded ("
            + describe(e.getCause()) + ")", List.of());
      }
      List<IRule> sorted = new ArrayList<>(rules);
      sorted.sort(Comparator.comparing(IRule::getId));
      List<RuleResult> results = new ArrayList<>();
      for (IRule rule : sorted) {
        results.add(result(rule, futures.get(rule), deadline, timeLimit));
      }
      return new AutomatedAnalysis(rules.size(), millisSince(start), null, results);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new AutomatedAnalysis(rules.size(), millisSince(start), "interrupted", List.of());
    } finally {
      starter.shutdownNow();
    }
  }

  private static RuleResult result(IRule rule, Future<IResult> future, long deadline, Duration timeLimit)
      throws InterruptedException {
    if (future == null) {
      return RuleResult.failed(rule.getId(), rule.getName(), rule.getTopic(), Verdict.FAILED, "JMC did not start it");
    }
    try {
      return of(rule, future.get(remaining(deadline), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      future.cancel(true);
      return RuleResult.failed(rule.getId(), rule.getName(), rule.getTopic(), Verdict.TIMED_OUT,
          "no result within the time limit of " + timeLimit.toSeconds() + " s");
    } catch (ExecutionException e) {
      return RuleResult.failed(rule.getId(), rule.getName(), rule.getTopic(), Verdict.FAILED, describe(e.getCause()));
    } catch (RuntimeException e) {
      // cancelled, or a result whose message cannot be filled in: as good as none
      return RuleResult.failed(rule.getId(), rule.getName(), rule.getTopic(), Verdict.FAILED, describe(e));
    }
  }

  private static RuleResult of(IRule rule, IResult result) {
    Verdict verdict = Verdict.of(result.getSeverity());
    IQuantity score = result.getResult(TypedResult.SCORE);
    Double rounded = score == null ? null : Math.round(score.doubleValue() * 10) / 10.0;
    if (!verdict.fired()) {
      return new RuleResult(rule.getId(), rule.getName(), rule.getTopic(), verdict, rounded, null, null, null, null);
    }
    return new RuleResult(rule.getId(), rule.getName(), rule.getTopic(), verdict, rounded, message(result, result.getSummary()),
        message(result, result.getExplanation()), message(result, result.getSolution()), null);
  }

  /** A rule's message with its placeholders ({@code {pauseTime}}) filled in, as plain text. */
  private static String message(IResult result, String template) {
    return template == null || template.isBlank() ? null : ResultToolkit.populateMessage(result, template, false);
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static String describe(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
