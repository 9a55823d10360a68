package io.raftkv.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Lowe's memo for the search: the configurations (operations linearized, model state) already
 * reached. Reaching one again means exploring the same subtree again, which cannot succeed where the
 * first visit failed, so the search skips it.
 *
 * <p>Strengthened for operations with an unknown outcome (INFO): such an operation is legal in any
 * state and never returns, so leaving it out is never worse than having linearized it. A
 * configuration is thus also skipped when one with the same state, the same OK operations and a
 * subset of its INFO operations was reached before: whatever the search could do from here, it could
 * do from there and place the INFO operations last. Without this, each unobserved INFO operation
 * doubles the work of proving a history wrong.
 *
 * <p>The two sets are bitsets kept by the search; the OK set's hash is updated in O(1) per flipped
 * bit. The cache counts an estimate of its memory and reports when it passes a budget, so that a
 * pathological history ends in an honest "unknown" rather than an OutOfMemoryError.
 */
final class VisitedCache {
    private final long[] okWords;
    private final long[] infoWords;
    private long okHash;
    /** For each (OK set, state) reached: the minimal INFO sets it was reached with. */
    private final Map<Key, List<long[]>> seen = new HashMap<>();
    private final long budgetBytes;
    private long usedBytes;

    VisitedCache(int okOperations, int infoOperations, long budgetBytes) {
        this.okWords = new long[(okOperations + 63) >>> 6];
        this.infoWords = new long[(infoOperations + 63) >>> 6];
        this.budgetBytes = budgetBytes;
    }

    void setOk(int i) {
        okWords[i >>> 6] |= 1L << i;
        okHash ^= mix(i);
    }

    void clearOk(int i) {
        okWords[i >>> 6] &= ~(1L << i);
        okHash ^= mix(i);
    }

    void setInfo(int i) {
        infoWords[i >>> 6] |= 1L << i;
    }

    void clearInfo(int i) {
        infoWords[i >>> 6] &= ~(1L << i);
    }

    /**
     * Whether the current configuration with {@code state} is new (not dominated by one reached
     * before); if it is, it is remembered.
     */
    boolean addIfNew(String state) {
        Key probe = new Key(okWords, okHash, state);
        List<long[]> infoSets = seen.get(probe);
        if (infoSets == null) {
            // copy only on a miss: hits are frequent while backtracking
            infoSets = new ArrayList<>(1);
            seen.put(new Key(okWords.clone(), okHash, state), infoSets);
            // object headers, the array, the map's node and slot; the state may be a fresh string
            usedBytes += 120 + 8L * okWords.length + (state == null ? 0 : state.length());
        } else {
            for (long[] reached : infoSets) {
                if (subsetOf(reached, infoWords)) {
                    return false;
                }
            }
            infoSets.removeIf(reached -> subsetOf(infoWords, reached)); // now dominated by this one
        }
        infoSets.add(infoWords.clone());
        usedBytes += 24 + 8L * infoWords.length;
        return true;
    }

    boolean overBudget() {
        return usedBytes > budgetBytes;
    }

    private static boolean subsetOf(long[] a, long[] b) {
        for (int w = 0; w < a.length; w++) {
            if ((a[w] & ~b[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** SplitMix64's finalizer: spreads operation numbers over all 64 bits so that XOR of sets hashes well. */
    private static long mix(int operation) {
        long z = (operation + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static final class Key {
        final long[] words;
        final long hash;
        final String state;

        Key(long[] words, long hash, String state) {
            this.words = words;
            this.hash = hash;
            this.state = state;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hash) * 31 + Objects.hashCode(state);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return hash == k.hash && Objects.equals(state, k.state) && Arrays.equals(words, k.words);
        }
    }
}
