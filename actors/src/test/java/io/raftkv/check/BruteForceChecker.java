package io.raftkv.check;

import java.util.ArrayList;
import java.util.List;

/**
 * A reference for the checker, as plain as possible: try every order of the operations of one key
 * that respects real time, straight from the definition. Exponential; for histories of a few operations.
 *
 * <p>Definition used: a FAIL did not happen; an INFO get observed nothing; an INFO write took effect
 * once at some point after its invocation, or never; an OK operation took effect once, between its
 * invocation and its return, with the result observed. Operation a must precede b if a returned
 * before b was invoked (strictly: touching intervals are concurrent).
 */
final class BruteForceChecker {
    private BruteForceChecker() {}

    static boolean isLinearizable(List<Operation> history) {
        List<Operation> ops = new ArrayList<>();
        for (Operation op : history) {
            boolean failed = op.outcome() == Outcome.FAIL;
            boolean unknownRead = op.outcome() == Outcome.INFO && op.f() == OpType.GET;
            if (!failed && !unknownRead) {
                ops.add(op);
            }
        }
        return search(ops, new boolean[ops.size()], null);
    }

    private static boolean search(List<Operation> ops, boolean[] done, String state) {
        boolean allOkDone = true;
        for (int i = 0; i < ops.size(); i++) {
            allOkDone &= done[i] || ops.get(i).outcome() == Outcome.INFO;
        }
        if (allOkDone) {
            return true; // INFO operations not yet placed never took effect
        }
        for (int i = 0; i < ops.size(); i++) {
            if (done[i] || !mayGoNext(ops, done, i) || !KvModel.isLegal(state, ops.get(i))) {
                continue;
            }
            done[i] = true;
            boolean ok = search(ops, done, KvModel.apply(state, ops.get(i)));
            done[i] = false;
            if (ok) {
                return true;
            }
        }
        return false;
    }

    /** Whether no pending operation returned before operation i was invoked. */
    private static boolean mayGoNext(List<Operation> ops, boolean[] done, int i) {
        for (int j = 0; j < ops.size(); j++) {
            if (!done[j] && j != i && ops.get(j).returnTime() < ops.get(i).invokeTime()) {
                return false;
            }
        }
        return true;
    }
}
