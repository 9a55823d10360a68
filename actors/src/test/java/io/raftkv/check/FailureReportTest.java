package io.raftkv.check;

import static io.raftkv.check.Operation.get;
import static io.raftkv.check.Operation.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the checker says about a failure: which key, and its history in a readable form. */
// a bug in the search shows up as a hang; this turns it into a failure
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FailureReportTest {

    /** A linearizable history on {@code key}, or (if {@code stale}) one with a stale read. */
    private static List<Operation> keyHistory(String key, boolean stale) {
        return List.of(put(0, key, "a", 0, 10), put(0, key, "b", 20, 30), get(1, key, stale ? "a" : "b", 40, 50));
    }

    private static List<Operation> history(int keys, int... failing) {
        List<Operation> h = new ArrayList<>();
        for (int k = keys - 1; k >= 0; k--) { // listed backwards: the order of the input must not matter
            boolean stale = false;
            for (int f : failing) {
                stale |= f == k;
            }
            h.addAll(keyHistory(String.format("k%02d", k), stale));
        }
        return h;
    }

    @Test
    void reportsTheSmallestFailingKeyWhateverTheThreadCount() {
        List<Operation> h = history(40, 31, 7, 19, 8);
        for (int threads : new int[] {1, 2, 4, 8}) {
            CheckResult r = new LinearizabilityChecker(threads).check(h);
            assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), "threads " + threads);
            assertEquals("k07", r.failingKey(), "threads " + threads);
            assertEquals(keyHistory("k07", true), r.failingHistory());
            assertEquals(40, r.keys());
            assertEquals(120, r.operations());
        }
    }

    @Test
    void aLinearizableHistoryOnManyKeysIsLinearizableOnAnyThreadCount() {
        for (int threads : new int[] {1, 3}) {
            CheckResult r = new LinearizabilityChecker(threads).check(history(25));
            assertEquals(Verdict.LINEARIZABLE, r.verdict());
            assertEquals(null, r.failingKey());
        }
    }

    @Test
    void describesTheFailingKeyOneLinePerOperationInTimeOrder() {
        List<Operation> h = List.of(
                get(2, "k", "a", 40, 50),
                put(0, "k", "a", 0, 10),
                Operation.append(3, "k", "z", 45, 46).unknown(),
                put(1, "k", "b", 20, 30));
        CheckResult r = new LinearizabilityChecker(1).check(h);
        String text = r.describe();
        String[] lines = text.split("\n");
        assertTrue(lines[0].startsWith("NOT LINEARIZABLE: key \"k\" has no linearization; 4 operations on 1 keys"),
                text);
        assertEquals(3 + h.size(), lines.length, text); // verdict, legend, header, one per operation
        assertTrue(lines[3].matches(" +1 +p0 +0 +10 +put\\(\"a\"\\) +ok"), lines[3]);
        assertTrue(lines[4].matches(" +2 +p1 +20 +30 +put\\(\"b\"\\) +ok"), lines[4]);
        assertTrue(lines[5].matches(" +- +p2 +40 +50 +get\\(\\) +ok, read \"a\""), lines[5]);
        assertTrue(lines[6].matches(" +3 +p3 +45 +never +append\\(\"z\"\\) +info .*"), lines[6]);
        // the search got furthest with put a, put b and the unknown append; the read of a never fits after b
        assertEquals(List.of(h.get(1), h.get(3), h.get(2)), r.longestLinearization());
    }

    @Test
    void abbreviatesLongValuesAndEscapesOddCharacters() {
        assertEquals("missing", OperationFormat.value(null));
        assertEquals("\"a\\\"b\\\\c\\u000a\"", OperationFormat.value("a\"b\\c\n"));
        String shown = OperationFormat.value("x".repeat(30) + "y".repeat(30));
        assertEquals("\"" + "x".repeat(20) + "..." + "y".repeat(20) + "\" (60 chars)", shown);
    }
}
