package io.raftkv.raft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.function.LongFunction;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Seeds for simulations: {@code -Draftkv.sim.seed=N} replays one; otherwise each test uses its
 * default. A failing test prints its seed and the one command that replays it.
 */
public final class SimSeeds implements TestWatcher {
  private static final ThreadLocal<Long> CURRENT = new ThreadLocal<>();

  /** The seed to use: the system property if given, else {@code fallback}. Remembered for the failure report. */
  public static long seed(long fallback) {
    String given = System.getProperty("raftkv.sim.seed");
    long seed = given == null || given.isBlank() ? fallback : Long.parseLong(given.trim());
    CURRENT.set(seed);
    return seed;
  }

  /** Records a seed chosen by the test itself (for campaigns over many seeds). */
  public static void using(long seed) {
    CURRENT.set(seed);
  }

  /** Determinism: {@code seed} run twice gives one trace, and {@code seed + 1} another ({@code run} returns a run's trace digest). */
  public static void assertSameTraceForSameSeed(long seed, LongFunction<String> run) {
    String digest = run.apply(seed);
    assertEquals(digest, run.apply(seed), "seed " + seed + " gave two different traces");
    assertNotEquals(digest, run.apply(seed + 1), "different seeds gave the same trace");
  }

  public static String replayCommand(String testClass, String method, long seed) {
    return "mvn -B -pl actors -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=" + testClass + "#" + method + " -Draftkv.sim.seed=" + seed;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    Long seed = CURRENT.get();
    if (seed == null) return;
    String cls = context.getRequiredTestClass().getSimpleName();
    String method = context.getRequiredTestMethod().getName();
    System.err.println("SIMULATION FAILED with seed " + seed + "; replay: " + replayCommand(cls, method, seed));
    CURRENT.remove();
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    CURRENT.remove();
  }
}
