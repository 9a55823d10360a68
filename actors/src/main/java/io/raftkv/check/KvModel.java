package io.raftkv.check;

import java.util.Objects;

/**
 * The sequential specification of one key: a register holding a value or nothing (null).
 *
 * <p>The whole store is a product of independent such registers, which is why the checker may
 * check each key alone. The semantics follow the HTTP API (docs/API.md):
 * get returns the value; put sets it; append concatenates (a missing value counts as "");
 * delete removes it (an OK delete does not say whether the key existed, so it is legal in any state);
 * cas(expected, value) sets the value iff the current one equals {@code expected} (null = missing).
 */
public final class KvModel {
    private KvModel() {}

    /**
     * Whether {@code op} could have happened, with its observed result, to a key holding {@code state}.
     * An operation whose outcome is unknown observed nothing, so it is always possible; if it is a cas
     * whose expectation does not hold, it just has no effect ({@link #apply}).
     */
    public static boolean isLegal(String state, Operation op) {
        if (op.outcome() == Outcome.INFO) {
            return true;
        }
        switch (op.f()) {
            case GET:
                return Objects.equals(state, op.read());
            case CAS:
                return Objects.equals(state, op.expected());
            default:
                return true;
        }
    }

    /** The key's state after {@code op}, which must be legal in {@code state}. */
    public static String apply(String state, Operation op) {
        switch (op.f()) {
            case GET:
                return state;
            case PUT:
                return op.value();
            case APPEND:
                return state == null ? op.value() : state.concat(op.value());
            case DELETE:
                return null;
            case CAS:
                // only reachable with a mismatch for an INFO cas: it then had no effect
                return Objects.equals(state, op.expected()) ? op.value() : state;
            default:
                throw new AssertionError(op.f());
        }
    }
}
