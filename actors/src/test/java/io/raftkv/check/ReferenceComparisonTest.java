package io.raftkv.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The checker against {@link BruteForceChecker} on many tiny random histories of one key, with few
 * distinct values (so that values coincide, as they may in real histories), overlapping intervals,
 * failed and unknown outcomes: the two must agree on every one. A disagreement prints its seed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReferenceComparisonTest {
    private static final String[] VALUES = {"a", "b"};
    private static final String[] READS = {null, "a", "b", "ab", "ba", "aa", "bb"};
    private static final int HISTORIES = 20_000;

    static List<Operation> tinyHistory(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 2 + r.nextInt(6);
        List<Operation> h = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long invoke = r.nextInt(12);
            long ret = invoke + r.nextInt(8);
            String v = VALUES[r.nextInt(VALUES.length)];
            Operation op;
            switch (r.nextInt(5)) {
                case 0:
                    op = Operation.get(i, "k", READS[r.nextInt(READS.length)], invoke, ret);
                    break;
                case 1:
                    op = Operation.put(i, "k", v, invoke, ret);
                    break;
                case 2:
                    op = Operation.append(i, "k", v, invoke, ret);
                    break;
                case 3:
                    op = Operation.delete(i, "k", invoke, ret);
                    break;
                default:
                    op = Operation.cas(i, "k", READS[r.nextInt(3)], v, invoke, ret);
                    break;
            }
            int outcome = r.nextInt(10);
            h.add(outcome < 2 ? op.unknown() : outcome < 3 ? op.failed() : op);
        }
        return h;
    }

    @Test
    void agreesWithBruteForceOnTinyHistories() {
        LinearizabilityChecker checker = new LinearizabilityChecker(1);
        int linearizable = 0;
        for (long seed = 0; seed < HISTORIES; seed++) {
            List<Operation> h = tinyHistory(seed);
            boolean expected = BruteForceChecker.isLinearizable(h);
            CheckResult r = checker.check(h);
            final long s = seed;
            assertEquals(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE, r.verdict(),
                    () -> "seed " + s + ", history " + h + "\n" + r.describe());
            linearizable += expected ? 1 : 0;
        }
        // both answers must be common, or the comparison proves little
        assertTrue(linearizable > HISTORIES / 5 && linearizable < HISTORIES * 4 / 5, "linearizable: " + linearizable);
    }
}
