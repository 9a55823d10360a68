package io.raftkv.client;

/**
 * What a transaction answered (docs/API.md, "Transactions").
 *
 * @param succeeded whether its comparisons held, so that its {@code success} operations were
 *     applied (else its {@code failure} ones)
 * @param revision the revision it was applied at
 * @param json the whole answer, with a result per operation
 */
public record TxnReply(boolean succeeded, long revision, String json) {}
