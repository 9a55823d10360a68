package io.raftkv.check;

import static io.raftkv.check.Operation.append;
import static io.raftkv.check.Operation.cas;
import static io.raftkv.check.Operation.get;
import static io.raftkv.check.Operation.put;
import static io.raftkv.check.LinearizabilityCheckerTest.check;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Operations whose outcome is unknown (info): they take effect at any time after their invocation, or never. */
// a bug in the search shows up as a hang; this turns it into a failure
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnknownOutcomeTest {
    private static final String MISSING = null;
    private static final String K = "k";

    @Test
    void anUnknownPutMayTakeEffectLongAfterItsInvocation() {
        Operation putA = put(0, K, "a", 0, 10);
        Operation putB = put(1, K, "b", 20, 30).unknown();
        assertEquals(Verdict.LINEARIZABLE, check(putA, putB, get(2, K, "a", 40, 50), get(2, K, "b", 1000, 1010)));
    }

    @Test
    void anUnknownPutMayNeverTakeEffect() {
        Operation putA = put(0, K, "a", 0, 10);
        Operation putB = put(1, K, "b", 20, 30).unknown();
        assertEquals(Verdict.LINEARIZABLE, check(putA, putB, get(2, K, "a", 40, 50), get(2, K, "a", 1000, 1010)));
    }

    @Test
    void anUnknownPutTakesEffectOnceAtMost() {
        Operation putA = put(0, K, "a", 0, 10);
        Operation putB = put(1, K, "b", 20, 30).unknown();
        assertEquals(Verdict.NOT_LINEARIZABLE,
                check(putA, putB, get(2, K, "b", 40, 50), get(2, K, "a", 60, 70), get(2, K, "b", 80, 90)));
    }

    @Test
    void anUnknownPutCannotTakeEffectBeforeItsInvocation() {
        Operation putB = put(1, K, "b", 50, 60).unknown();
        assertEquals(Verdict.NOT_LINEARIZABLE, check(putB, get(2, K, "b", 10, 20)));
        assertEquals(Verdict.LINEARIZABLE, check(putB, get(2, K, "b", 55, 70)));
    }

    @Test
    void anUnknownAppendLandsAnywhereAfterItsInvocationOrNowhere() {
        Operation appendX = append(0, K, "x", 0, 10);
        Operation appendY = append(1, K, "y", 20, 30).unknown();
        Operation appendZ = append(2, K, "z", 40, 50);
        assertEquals(Verdict.LINEARIZABLE, check(appendX, appendY, appendZ, get(3, K, "xyz", 60, 70)));
        assertEquals(Verdict.LINEARIZABLE, check(appendX, appendY, appendZ, get(3, K, "xzy", 60, 70)));
        assertEquals(Verdict.LINEARIZABLE, check(appendX, appendY, appendZ, get(3, K, "xz", 60, 70)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(appendX, appendY, appendZ, get(3, K, "yxz", 60, 70)));
    }

    @Test
    void anUnknownCasMayOrMayNotHaveWon() {
        Operation putA = put(0, K, "a", 0, 10);
        Operation casB = cas(1, K, "a", "b", 20, 30).unknown();
        assertEquals(Verdict.LINEARIZABLE, check(putA, casB, get(2, K, "b", 40, 50)));
        assertEquals(Verdict.LINEARIZABLE, check(putA, casB, get(2, K, "a", 40, 50)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(put(0, K, "c", 0, 10), casB, get(2, K, "b", 40, 50)),
                "it could only have won from a");
    }

    @Test
    void anUnknownGetConstrainsNothing() {
        Operation putA = put(0, K, "a", 0, 10);
        assertEquals(Verdict.LINEARIZABLE, check(putA, get(1, K, MISSING, 20, 30).unknown(), get(2, K, "a", 40, 50)));
    }
}
