package io.raftkv.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Linearizable-by-construction histories ({@link RandomHistories}) must check LINEARIZABLE, and the
 * same with one read corrupted NOT_LINEARIZABLE on exactly that read's key. Each case runs several
 * seeds; a failure names its seed, so it can be replayed with {@code generate(seed, ...)}.
 */
// a bug in the search shows up as a hang; this turns it into a failure
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RandomHistoryTest {
    private static final int SEEDS = 10;
    // generous: a correct check of these takes milliseconds; the bound only turns a hang into a failure
    private static final Duration BOUND = Duration.ofSeconds(20);

    @ParameterizedTest(name = "{0} clients, {1} keys, {2} operations, unknown rate {3}")
    @CsvSource({
        "8, 4, 1500, 0.0",
        "8, 4, 1500, 0.02",
        "5, 1, 300, 0.03",
        "20, 10, 2000, 0.01",
    })
    void generatedHistoriesAreLinearizableAndACorruptedReadIsCaught(
            int clients, int keys, int operations, double unknownRate) {
        LinearizabilityChecker checker = new LinearizabilityChecker(2);
        for (long seed = 1; seed <= SEEDS; seed++) {
            final long s = seed;
            List<Operation> history = RandomHistories.generate(seed, clients, keys, operations, unknownRate);
            CheckResult ok = checker.check(history, BOUND);
            assertEquals(Verdict.LINEARIZABLE, ok.verdict(), () -> "seed " + s + ":\n" + ok.describe());

            List<Operation> corrupted = RandomHistories.corruptOneRead(history, seed);
            String corruptedKey = corrupted.stream()
                    .filter(op -> RandomHistories.NEVER_WRITTEN.equals(op.read()))
                    .findFirst().orElseThrow().key();
            CheckResult bad = checker.check(corrupted, BOUND);
            assertEquals(Verdict.NOT_LINEARIZABLE, bad.verdict(), () -> "seed " + s + ":\n" + bad.describe());
            assertEquals(corruptedKey, bad.failingKey(), () -> "seed " + s);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"1", "2", "3"})
    void aGeneratedHistorySurvivesTheFileFormat(long seed) throws Exception {
        List<Operation> history = RandomHistories.generate(seed, 10, 5, 1000, 0.05);
        StringWriter file = new StringWriter();
        try (HistoryWriter w = new HistoryWriter(file)) {
            w.writeAll(history);
        }
        List<Operation> read = HistoryReader.read(new StringReader(file.toString()));
        List<Operation> expected = history.stream()
                .filter(op -> op.outcome() != Outcome.FAIL)
                .sorted(java.util.Comparator.comparingLong(Operation::invokeTime))
                .toList();
        assertEquals(expected, read, "seed " + seed);
        assertEquals(Verdict.LINEARIZABLE, new LinearizabilityChecker(1).check(read, BOUND).verdict(), "seed " + seed);
    }
}
