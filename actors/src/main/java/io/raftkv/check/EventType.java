package io.raftkv.check;

import java.util.Locale;

/** The {@code type} field of a history line: an invocation or one of the three completions. */
public enum EventType {
    INVOKE,
    OK,
    FAIL,
    INFO;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named {@code name} in a history file, or null when there is none. */
    public static EventType fromWireName(String name) {
        for (EventType t : values()) {
            if (t.wireName().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
