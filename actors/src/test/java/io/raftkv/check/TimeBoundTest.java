package io.raftkv.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The search is exponential in the worst case; a time bound (or the memory budget) turns that into UNKNOWN. */
// a bug in the search shows up as a hang; this turns it into a failure
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimeBoundTest {

    /**
     * {@code n} concurrent appends, then a read of a value no order of them produces. Every order of
     * every subset is a different state, so the memo prunes nothing: about n! steps to say no.
     */
    static List<Operation> pathological(String key, int n) {
        List<Operation> h = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            h.add(Operation.append(i, key, String.format("v%02d,", i), 0, 100));
        }
        h.add(Operation.get(n, key, "impossible", 200, 300));
        return h;
    }

    @Test
    void answersUnknownWhenTheTimeBoundRunsOut() {
        CheckResult r = new LinearizabilityChecker(1).check(pathological("slow", 20), Duration.ofMillis(50));
        assertEquals(Verdict.UNKNOWN, r.verdict());
        assertEquals(List.of("slow"), r.undecidedKeys());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(5)) < 0, "took " + r.elapsed());
        assertTrue(r.describe().startsWith("UNKNOWN: no answer within the time bound for 1 of 1 keys (\"slow\")"),
                r.describe());
    }

    @Test
    void keysNotStartedBeforeTheDeadlineAreUnknownToo() {
        List<Operation> h = new ArrayList<>(pathological("a", 20));
        h.add(Operation.put(0, "b", "v", 0, 1));
        CheckResult r = new LinearizabilityChecker(1).check(h, Duration.ofMillis(20));
        assertEquals(Verdict.UNKNOWN, r.verdict());
        assertEquals(List.of("a", "b"), r.undecidedKeys());
    }

    @Test
    void answersUnknownWhenTheMemoryBudgetRunsOut() {
        CheckResult r = new LinearizabilityChecker(1, 64 * 1024).check(pathological("big", 20));
        assertEquals(Verdict.UNKNOWN, r.verdict());
    }

    @Test
    void aSmallPathologicalHistoryStillGetsItsAnswer() {
        // 6! orders: small enough to explore fully, so the bound is not what answers
        CheckResult r = new LinearizabilityChecker(1).check(pathological("k", 6), Duration.ofSeconds(30));
        assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
    }
}
