package io.raftkv.check;

/** How an operation ended, as far as its client knows. */
public enum Outcome {
    /** It took effect, between its invocation and its return. */
    OK,
    /** It did not take effect (for a cas: it found another value). The checker ignores it. */
    FAIL,
    /** Unknown (a timeout, a lost connection): it took effect at some time after its invocation, or never. */
    INFO
}
