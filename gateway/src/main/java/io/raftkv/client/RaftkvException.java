package io.raftkv.client;

/**
 * Why a {@link RaftkvClient} call gave no answer. Every failure of a call is one of these (or an
 * {@link IllegalArgumentException} for an argument the client refuses before sending anything).
 *
 * <p>{@link #mayHaveTakenEffect()} tells a recorder what to write in a history: {@code false}
 * means the operation certainly did not happen ({@code fail}), {@code true} that it may have
 * happened, or may still happen ({@code info}). Reads never have an effect.
 */
public abstract sealed class RaftkvException extends RuntimeException
    permits RaftkvUnavailableException, RaftkvRejectedException, RaftkvProtocolException {

  private static final long serialVersionUID = 1L;

  private final boolean mayHaveTakenEffect;

  RaftkvException(String message, boolean mayHaveTakenEffect, Throwable cause) {
    super(message, cause);
    this.mayHaveTakenEffect = mayHaveTakenEffect;
  }

  /** Whether the write may have been applied, now or later; always false for reads. */
  public boolean mayHaveTakenEffect() {
    return mayHaveTakenEffect;
  }
}
