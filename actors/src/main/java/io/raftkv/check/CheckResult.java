package io.raftkv.check;

import java.time.Duration;
import java.util.List;

/**
 * What the checker found.
 *
 * @param verdict               the answer
 * @param operations            how many operations the history had
 * @param keys                  how many keys (independent partitions) it touched
 * @param failingKey            when NOT_LINEARIZABLE: the smallest key (in String order) found to have
 *                              no linearization; null otherwise
 * @param failingHistory        that key's operations, by invocation time; empty otherwise
 * @param longestLinearization  for that key, the longest sequence of its operations the search could
 *                              linearize before getting stuck, in linearization order; empty otherwise
 * @param undecidedKeys         when UNKNOWN: the keys left without an answer, in order; empty otherwise
 * @param elapsed               how long the check took
 */
public record CheckResult(
        Verdict verdict,
        int operations,
        int keys,
        String failingKey,
        List<Operation> failingHistory,
        List<Operation> longestLinearization,
        List<String> undecidedKeys,
        Duration elapsed) {

    public CheckResult {
        failingHistory = List.copyOf(failingHistory);
        longestLinearization = List.copyOf(longestLinearization);
        undecidedKeys = List.copyOf(undecidedKeys);
    }

    /** A report for people: the verdict on the first line, then, for a failure, the key's history. */
    public String describe() {
        String stats = operations + " operations on " + keys + " keys, checked in " + seconds(elapsed);
        switch (verdict) {
            case LINEARIZABLE:
                return "LINEARIZABLE: " + stats + "\n";
            case UNKNOWN:
                return "UNKNOWN: no answer within the time bound for " + undecidedKeys.size() + " of " + keys
                        + " keys (" + abbreviate(undecidedKeys) + "); " + stats + "\n";
            case NOT_LINEARIZABLE:
                return "NOT LINEARIZABLE: key " + OperationFormat.value(failingKey) + " has no linearization; "
                        + stats + "\n"
                        + "Its " + failingHistory.size() + " operations by invocation time (times in ns; \"lin\" is"
                        + " each one's place in the longest linearizable prefix found, "
                        + longestLinearization.size() + " of " + failingHistory.size() + "):\n"
                        + OperationFormat.table(failingHistory, linearizedAt());
            default:
                throw new AssertionError(verdict);
        }
    }

    private int[] linearizedAt() {
        int[] at = new int[failingHistory.size()];
        for (int pos = 0; pos < longestLinearization.size(); pos++) {
            Operation op = longestLinearization.get(pos);
            for (int i = 0; i < failingHistory.size(); i++) {
                // by identity: two equal records (same client, same times) are still two operations
                if (failingHistory.get(i) == op) {
                    at[i] = pos + 1;
                }
            }
        }
        return at;
    }

    private static String abbreviate(List<String> keys) {
        int shown = Math.min(keys.size(), 5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(OperationFormat.value(keys.get(i)));
        }
        return keys.size() > shown ? sb + ", ..." : sb.toString();
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
    }
}
