package io.raftkv.check;

import java.util.Locale;

/** The key-value operations a history can hold; {@link #wireName()} is the {@code f} field of the history format. */
public enum OpType {
    GET,
    PUT,
    APPEND,
    DELETE,
    /** Compare-and-set: carries {@code expected} (null = only if missing) and {@code value}. */
    CAS;

    /** The name used in history files: lower case, as docs/CLIENT.md shows them. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the invocation carries a {@code value} argument (the value written). */
    public boolean writesValue() {
        return this == PUT || this == APPEND || this == CAS;
    }

    /** The type named {@code name} in a history file, or null when there is none. */
    public static OpType fromWireName(String name) {
        for (OpType t : values()) {
            if (t.wireName().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
