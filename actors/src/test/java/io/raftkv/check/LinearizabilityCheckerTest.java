package io.raftkv.check;

import static io.raftkv.check.Operation.append;
import static io.raftkv.check.Operation.cas;
import static io.raftkv.check.Operation.delete;
import static io.raftkv.check.Operation.get;
import static io.raftkv.check.Operation.put;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Small hand-made histories on one key, each with the verdict worked out by hand. */
// a bug in the search shows up as a hang; this turns it into a failure
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinearizabilityCheckerTest {
    private static final String MISSING = null;
    private static final String K = "k";

    static Verdict check(Operation... history) {
        return new LinearizabilityChecker(1).check(List.of(history)).verdict();
    }

    @Test
    void anEmptyHistoryIsLinearizable() {
        assertEquals(Verdict.LINEARIZABLE, check());
    }

    @Test
    void sequentialPutThenGet() {
        assertEquals(Verdict.LINEARIZABLE, check(get(1, K, MISSING, 0, 5), put(0, K, "a", 10, 20), get(1, K, "a", 30, 40)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(put(0, K, "a", 10, 20), get(1, K, "b", 30, 40)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(put(0, K, "a", 10, 20), get(1, K, MISSING, 30, 40)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(get(1, K, "a", 0, 5), put(0, K, "a", 10, 20)),
                "a read cannot see a write invoked after it returned");
    }

    @Test
    void concurrentPutsAndAGetThatSeesEither() {
        Operation putA = put(0, K, "a", 0, 100);
        Operation putB = put(1, K, "b", 0, 100);
        assertEquals(Verdict.LINEARIZABLE, check(putA, putB, get(2, K, "a", 200, 300)));
        assertEquals(Verdict.LINEARIZABLE, check(putA, putB, get(2, K, "b", 200, 300)));
        // once both are done, readers must agree on which came last
        assertEquals(Verdict.NOT_LINEARIZABLE,
                check(putA, putB, get(2, K, "a", 200, 300), get(2, K, "b", 400, 500)));
        assertEquals(Verdict.NOT_LINEARIZABLE,
                check(putA, putB, get(2, K, "a", 200, 300), get(3, K, "b", 200, 300)));
        // a read concurrent with the puts may see them flip
        assertEquals(Verdict.LINEARIZABLE,
                check(putA, putB, get(2, K, "a", 10, 20), get(2, K, "b", 30, 40), get(2, K, "b", 200, 300)));
    }

    @Test
    void aStaleReadAfterACompletedPutIsNotLinearizable() {
        Operation putA = put(0, K, "a", 0, 10);
        Operation putB = put(0, K, "b", 20, 30);
        assertEquals(Verdict.NOT_LINEARIZABLE, check(putA, putB, get(1, K, "a", 40, 50)));
        assertEquals(Verdict.LINEARIZABLE, check(putA, putB, get(1, K, "a", 25, 50)), "concurrent with b: may see a");
        assertEquals(Verdict.LINEARIZABLE, check(putA, putB, get(1, K, "b", 40, 50)));
    }

    @Test
    void touchingIntervalsCountAsConcurrent() {
        // the read is invoked at the instant the put returns: clocks cannot order them, so either may be first
        assertEquals(Verdict.LINEARIZABLE, check(put(0, K, "a", 0, 10), get(1, K, MISSING, 10, 20)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(put(0, K, "a", 0, 10), get(1, K, MISSING, 11, 20)));
    }

    @Test
    void appendsApplyInTheirRealTimeOrder() {
        Operation appendX = append(0, K, "x", 0, 10);
        Operation appendY = append(1, K, "y", 20, 30);
        assertEquals(Verdict.LINEARIZABLE, check(appendX, appendY, get(2, K, "xy", 40, 50)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(appendX, appendY, get(2, K, "yx", 40, 50)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(appendX, appendY, get(2, K, "x", 40, 50)));
    }

    @Test
    void concurrentAppendsMayApplyInEitherOrderButBothApply() {
        Operation appendX = append(0, K, "x", 0, 10);
        Operation appendY = append(1, K, "y", 0, 10);
        assertEquals(Verdict.LINEARIZABLE, check(appendX, appendY, get(2, K, "xy", 20, 30)));
        assertEquals(Verdict.LINEARIZABLE, check(appendX, appendY, get(2, K, "yx", 20, 30)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(appendX, appendY, get(2, K, "y", 20, 30)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(appendX, appendY, get(2, K, "xy", 20, 30), get(2, K, "yx", 40, 50)));
    }

    @Test
    void deleteRemovesTheValue() {
        Operation putA = put(0, K, "a", 0, 10);
        Operation del = delete(0, K, 20, 30);
        assertEquals(Verdict.LINEARIZABLE, check(putA, del, get(1, K, MISSING, 40, 50)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(putA, del, get(1, K, "a", 40, 50)));
        assertEquals(Verdict.LINEARIZABLE, check(putA, del, append(0, K, "z", 40, 50), get(1, K, "z", 60, 70)));
        assertEquals(Verdict.LINEARIZABLE, check(delete(0, K, 0, 10), get(1, K, MISSING, 20, 30)),
                "deleting a missing key is fine: an ok delete does not say whether the key existed");
    }

    @Test
    void casSucceedsFromTheExpectedValue() {
        Operation putA = put(0, K, "a", 0, 10);
        assertEquals(Verdict.LINEARIZABLE, check(putA, cas(1, K, "a", "b", 20, 30), get(2, K, "b", 40, 50)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(putA, put(0, K, "c", 12, 15), cas(1, K, "a", "b", 20, 30)),
                "the value was c when the cas ran");
        assertEquals(Verdict.LINEARIZABLE, check(cas(1, K, MISSING, "b", 0, 10), get(2, K, "b", 20, 30)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(putA, cas(1, K, MISSING, "b", 20, 30)),
                "an expectation of missing fails on a present key");
    }

    @Test
    void aFailedCasHadNoEffect() {
        Operation putA = put(0, K, "a", 0, 10);
        Operation failedCas = cas(1, K, "x", "b", 20, 30).failed();
        assertEquals(Verdict.LINEARIZABLE, check(putA, failedCas, get(2, K, "a", 40, 50)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(putA, failedCas, get(2, K, "b", 40, 50)));
    }

    @Test
    void ofTwoConcurrentCasFromTheSameValueOnlyOneMayWin() {
        Operation putA = put(0, K, "a", 0, 10);
        Operation casB = cas(1, K, "a", "b", 20, 30);
        Operation casC = cas(2, K, "a", "c", 20, 30);
        assertEquals(Verdict.LINEARIZABLE, check(putA, casB, casC.failed(), get(3, K, "b", 40, 50)));
        assertEquals(Verdict.LINEARIZABLE, check(putA, casB.failed(), casC, get(3, K, "c", 40, 50)));
        assertEquals(Verdict.NOT_LINEARIZABLE, check(putA, casB, casC), "both won");
        assertEquals(Verdict.NOT_LINEARIZABLE, check(putA, casB, casC.failed(), get(3, K, "c", 40, 50)));
    }
}
