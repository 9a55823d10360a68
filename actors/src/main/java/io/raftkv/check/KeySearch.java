package io.raftkv.check;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The linearizability search for the operations on one key: Wing and Gong's algorithm with Lowe's
 * memo, as in Porcupine's {@code checkSingle}. Walk the entry list from its head; at a call, try to
 * linearize that operation now (legal in the model and a configuration not reached before): lift it
 * and start again from the head. At a return, the operation it ends was not linearized before it
 * returned, so undo the most recent choice and try the next candidate after it. Success when every
 * operation is placed; failure when a return is reached with nothing left to undo.
 *
 * <p>Two refinements for operations with an unknown outcome (INFO), which may take effect at any
 * time after their invocation or never: the candidates at each point are tried OK operations first
 * and INFO operations last, so that an INFO operation is placed only when something observed needs
 * it (with {@link VisitedCache}'s dominance rule this keeps unobserved ones from multiplying the
 * work); and the search succeeds as soon as every OK operation is placed, since INFO operations are
 * legal in any state and never return, so the rest can all go at the end.
 */
final class KeySearch {
    enum Result { LINEARIZABLE, NOT_LINEARIZABLE, STOPPED, OVER_MEMORY_BUDGET }

    /** How many steps between two looks at the stop condition: often enough for a deadline, rarely enough to cost nothing. */
    private static final int STOP_CHECK_MASK = (1 << 12) - 1;

    private final Operation[] ops;
    private final boolean[] info;
    /** Each operation's number among the OK operations, or among the INFO ones. */
    private final int[] setIndex;
    private final int okTotal;
    private final EntryList entries;
    private final VisitedCache visited;
    // the choices made so far: the call linearized at each depth and the state before it
    private final int[] stackCall;
    private final String[] stackState;
    private int depth;
    private int[] longest = new int[0];

    /** @param ops the operations to linearize, all on one key, none of them FAIL */
    KeySearch(List<Operation> ops, long memoryBudgetBytes) {
        this.ops = ops.toArray(new Operation[0]);
        int n = this.ops.length;
        long[] invokeTimes = new long[n];
        long[] returnTimes = new long[n];
        info = new boolean[n];
        setIndex = new int[n];
        int oks = 0;
        int infos = 0;
        for (int i = 0; i < n; i++) {
            Operation op = this.ops[i];
            invokeTimes[i] = op.invokeTime();
            returnTimes[i] = op.returnTime();
            info[i] = op.outcome() == Outcome.INFO;
            setIndex[i] = info[i] ? infos++ : oks++;
        }
        this.okTotal = oks;
        this.entries = new EntryList(invokeTimes, returnTimes);
        this.visited = new VisitedCache(oks, infos, memoryBudgetBytes);
        this.stackCall = new int[n];
        this.stackState = new String[n];
    }

    /** Runs the search; {@code stop} is polled now and then, and ends it early with {@link Result#STOPPED}. */
    Result run(BooleanSupplier stop) {
        String state = null; // every key starts missing
        int okPlaced = 0;
        boolean tryingInfo = false; // which kind of candidate the scan tries: OK ones first, then INFO
        int entry = entries.first();
        long steps = 0;
        while (okPlaced < okTotal) {
            if ((++steps & STOP_CHECK_MASK) == 0) {
                if (stop.getAsBoolean()) {
                    return Result.STOPPED;
                }
                if (visited.overBudget()) {
                    return Result.OVER_MEMORY_BUDGET;
                }
            }
            if (EntryList.isCall(entry)) {
                int op = EntryList.operation(entry);
                if (info[op] == tryingInfo && tryLinearize(op, state)) {
                    stackCall[depth] = entry;
                    stackState[depth] = state;
                    depth++;
                    state = KvModel.apply(state, ops[op]);
                    okPlaced += info[op] ? 0 : 1;
                    entries.lift(entry);
                    entry = entries.first();
                    tryingInfo = false;
                } else {
                    entry = entries.next(entry);
                }
            } else if (!tryingInfo) {
                // the OK candidates before this return are exhausted; now the INFO ones
                tryingInfo = true;
                entry = entries.first();
            } else {
                if (depth == 0) {
                    return Result.NOT_LINEARIZABLE;
                }
                if (depth > longest.length) {
                    longest = currentPrefix();
                }
                depth--;
                entry = stackCall[depth];
                state = stackState[depth];
                int op = EntryList.operation(entry);
                mark(op, false);
                okPlaced -= info[op] ? 0 : 1;
                entries.unlift(entry);
                tryingInfo = info[op];
                entry = entries.next(entry);
            }
        }
        longest = currentPrefix();
        return Result.LINEARIZABLE;
    }

    /** Whether {@code op} can go next from {@code state} into a configuration not reached before; if so it is marked. */
    private boolean tryLinearize(int op, String state) {
        Operation o = ops[op];
        if (!KvModel.isLegal(state, o)) {
            return false;
        }
        mark(op, true);
        if (visited.addIfNew(KvModel.apply(state, o))) {
            return true;
        }
        mark(op, false);
        return false;
    }

    private void mark(int op, boolean linearized) {
        int i = setIndex[op];
        if (info[op]) {
            if (linearized) {
                visited.setInfo(i);
            } else {
                visited.clearInfo(i);
            }
        } else if (linearized) {
            visited.setOk(i);
        } else {
            visited.clearOk(i);
        }
    }

    /**
     * The longest sequence of operations (indices into the list given) that the search managed to
     * linearize: the OK ones and the INFO ones it needed, in a valid order, after success; a longest
     * dead end after failure.
     */
    int[] longestLinearization() {
        return longest.clone();
    }

    private int[] currentPrefix() {
        int[] prefix = new int[depth];
        for (int i = 0; i < depth; i++) {
            prefix[i] = EntryList.operation(stackCall[i]);
        }
        return prefix;
    }
}
