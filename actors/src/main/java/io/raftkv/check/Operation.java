package io.raftkv.check;

import java.util.Objects;

/**
 * One client operation of a history: what was asked, when, and how it ended.
 *
 * <p>A missing key is represented by {@code null} throughout, as JSON {@code null} is in history
 * files: {@code expected == null} is a cas that succeeds only if the key is missing, and
 * {@code read == null} is a get that found no value.
 *
 * @param process     the client that issued it; one operation at a time per process
 * @param f           what it does
 * @param key         the key it touches
 * @param value       the value written by put, append and cas; null for get and delete
 * @param expected    for cas, the value it expects (null = missing); null for other types
 * @param invokeTime  when it was invoked (monotonic nanoseconds)
 * @param returnTime  when it returned; {@link #NEVER} when the outcome is {@link Outcome#INFO},
 *                    since such an operation may take effect at any time after its invocation
 * @param outcome     how it ended
 * @param read        for an {@code OK} get, the value it read (null = missing); null otherwise
 */
public record Operation(
        int process,
        OpType f,
        String key,
        String value,
        String expected,
        long invokeTime,
        long returnTime,
        Outcome outcome,
        String read) {

    /** The return time of an operation whose outcome is unknown: it may take effect at any later time. */
    public static final long NEVER = Long.MAX_VALUE;

    public Operation {
        Objects.requireNonNull(f, "f");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        if (f.writesValue() && value == null) {
            throw new IllegalArgumentException(f.wireName() + " needs a value");
        }
        if (returnTime < invokeTime) {
            throw new IllegalArgumentException(
                    "returns at " + returnTime + " before its invocation at " + invokeTime);
        }
        if (outcome == Outcome.INFO && returnTime != NEVER) {
            // an unknown outcome has no return: keeping this in one place spares every reader the check
            throw new IllegalArgumentException("an INFO operation's return time must be NEVER");
        }
    }

    public static Operation get(int process, String key, String read, long invokeTime, long returnTime) {
        return new Operation(process, OpType.GET, key, null, null, invokeTime, returnTime, Outcome.OK, read);
    }

    public static Operation put(int process, String key, String value, long invokeTime, long returnTime) {
        return new Operation(process, OpType.PUT, key, value, null, invokeTime, returnTime, Outcome.OK, null);
    }

    public static Operation append(int process, String key, String value, long invokeTime, long returnTime) {
        return new Operation(process, OpType.APPEND, key, value, null, invokeTime, returnTime, Outcome.OK, null);
    }

    public static Operation delete(int process, String key, long invokeTime, long returnTime) {
        return new Operation(process, OpType.DELETE, key, null, null, invokeTime, returnTime, Outcome.OK, null);
    }

    /** A cas that succeeded; one that found another value is a {@code FAIL} (see {@link #failed}). */
    public static Operation cas(
            int process, String key, String expected, String value, long invokeTime, long returnTime) {
        return new Operation(process, OpType.CAS, key, value, expected, invokeTime, returnTime, Outcome.OK, null);
    }

    /** This operation with an unknown outcome: no return time, no value read. */
    public Operation unknown() {
        return new Operation(process, f, key, value, expected, invokeTime, NEVER, Outcome.INFO, null);
    }

    /** This operation as one that did not take effect. */
    public Operation failed() {
        return new Operation(process, f, key, value, expected, invokeTime, returnTime, Outcome.FAIL, null);
    }

    /** This operation, an OK get, reading {@code newRead} instead. */
    public Operation withRead(String newRead) {
        if (f != OpType.GET || outcome != Outcome.OK) {
            throw new IllegalStateException("only an OK get has a value read: " + this);
        }
        return new Operation(process, f, key, value, expected, invokeTime, returnTime, outcome, newRead);
    }
}
