package io.raftkv.check;

import java.util.Objects;

/**
 * One line of a history file (the format docs/CLIENT.md gives under check-history).
 *
 * @param process  the client
 * @param type     invoke, or the completion ok / fail / info
 * @param f        the operation
 * @param key      the key
 * @param value    on an invoke of put, append or cas: the value written; on the ok of a get: the value
 *                 read, null when the key was missing; null otherwise
 * @param expected on an invoke of cas: the value expected, null = missing; null otherwise
 * @param time     monotonic nanoseconds
 */
public record HistoryEvent(
        int process, EventType type, OpType f, String key, String value, String expected, long time) {

    public HistoryEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(f, "f");
        Objects.requireNonNull(key, "key");
        if (type == EventType.INVOKE && f.writesValue() && value == null) {
            // caught here, in the recorder, rather than later as a malformed line
            throw new IllegalArgumentException("an invoke of " + f.wireName() + " needs a value");
        }
    }

    /** An invocation; {@code value} and {@code expected} as for {@link Operation}. */
    public static HistoryEvent invoke(int process, OpType f, String key, String value, String expected, long time) {
        return new HistoryEvent(process, EventType.INVOKE, f, key, value, expected, time);
    }

    /** The OK completion of a get that read {@code read} (null = missing). */
    public static HistoryEvent okGet(int process, String key, String read, long time) {
        return new HistoryEvent(process, EventType.OK, OpType.GET, key, read, null, time);
    }

    /** A completion of any other kind: OK of a write, FAIL, or INFO. */
    public static HistoryEvent completion(int process, EventType type, OpType f, String key, long time) {
        if (type == EventType.INVOKE) {
            throw new IllegalArgumentException("not a completion: " + type);
        }
        return new HistoryEvent(process, type, f, key, null, null, time);
    }

    /** Whether the JSON line carries a {@code value} field, even a null one. */
    boolean hasValueField() {
        return type == EventType.INVOKE ? f.writesValue() : type == EventType.OK && f == OpType.GET;
    }
}
