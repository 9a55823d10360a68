package io.raftkv.check;

/** A history file that does not follow the format docs/CLIENT.md gives under check-history; the message names the line. */
public final class HistoryFormatException extends Exception {
    private final long lineNumber;

    public HistoryFormatException(long lineNumber, String problem) {
        super("line " + lineNumber + ": " + problem);
        this.lineNumber = lineNumber;
    }

    /** The 1-based line where the problem was found. */
    public long lineNumber() {
        return lineNumber;
    }
}
