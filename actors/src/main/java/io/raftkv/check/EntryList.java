package io.raftkv.check;

import java.util.Arrays;

/**
 * Porcupine's entry list for one key: the call and return events of its operations in time order,
 * as a doubly linked list from which the search lifts an operation (its call and its return) when it
 * linearizes it, and into which it puts the operation back when it backtracks (dancing links: a
 * lifted node keeps its own pointers, so lifts undone in reverse order restore the list exactly).
 *
 * <p>Nodes are ints, for speed and compactness: {@code 2i} is the call of operation {@code i},
 * {@code 2i + 1} its return, and {@code 2n} the head sentinel.
 */
final class EntryList {
    static final int NIL = -1;

    private final int head;
    private final int[] next;
    private final int[] prev;

    /**
     * @param invokeTimes the operations' invocation times
     * @param returnTimes their return times ({@link Operation#NEVER} for an unknown outcome)
     */
    EntryList(long[] invokeTimes, long[] returnTimes) {
        int n = invokeTimes.length;
        Integer[] order = new Integer[2 * n];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // by time; at equal times calls first, so that touching intervals count as concurrent (as in
        // Porcupine): the permissive choice, since clocks cannot order events that close
        Arrays.sort(order, (a, b) -> {
            int byTime = Long.compare(time(a, invokeTimes, returnTimes), time(b, invokeTimes, returnTimes));
            if (byTime != 0) {
                return byTime;
            }
            int byKind = Integer.compare(a & 1, b & 1);
            return byKind != 0 ? byKind : Integer.compare(a, b);
        });
        head = 2 * n;
        next = new int[2 * n + 1];
        prev = new int[2 * n + 1];
        int last = head;
        prev[head] = NIL;
        for (int node : order) {
            next[last] = node;
            prev[node] = last;
            last = node;
        }
        next[last] = NIL;
    }

    private static long time(int node, long[] invokeTimes, long[] returnTimes) {
        return isCall(node) ? invokeTimes[node >>> 1] : returnTimes[node >>> 1];
    }

    static boolean isCall(int node) {
        return (node & 1) == 0;
    }

    static int operation(int node) {
        return node >>> 1;
    }

    static int callOf(int operation) {
        return 2 * operation;
    }

    /** The first event not yet lifted, or {@link #NIL} when every operation is linearized. */
    int first() {
        return next[head];
    }

    int next(int node) {
        return next[node];
    }

    /** Removes the operation whose call is {@code call}: both its call and its return. */
    void lift(int call) {
        int ret = call + 1;
        next[prev[call]] = next[call];
        prev[next[call]] = prev[call]; // a call always has a successor: its own return
        next[prev[ret]] = next[ret];
        if (next[ret] != NIL) {
            prev[next[ret]] = prev[ret];
        }
    }

    /** Undoes {@link #lift}; must be called in the reverse order of the lifts. */
    void unlift(int call) {
        int ret = call + 1;
        next[prev[ret]] = ret;
        if (next[ret] != NIL) {
            prev[next[ret]] = ret;
        }
        next[prev[call]] = call;
        prev[next[call]] = call;
    }
}
