package io.raftkv.check;

/** The checker's answer; {@link #exitCode()} is the CLI's (docs/CLIENT.md, "Every command"). */
public enum Verdict {
    LINEARIZABLE(0),
    NOT_LINEARIZABLE(1),
    /** The time bound (or the memory budget) ran out before an answer. */
    UNKNOWN(3);

    private final int exitCode;

    Verdict(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
