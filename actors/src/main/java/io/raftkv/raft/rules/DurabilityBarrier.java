package io.raftkv.raft.rules;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Holds back what a node may say only once its log has stored what it promised: a vote, an
 * acknowledgement of appended entries (§5.2/§5.3: "respond after storing"). Log batches are
 * numbered; each held message waits for the batch that was open or in flight when it was made.
 * Because the log persists batches in order, releasing in order is correct.
 */
public final class DurabilityBarrier<M> {
  private record Held<M>(long batch, M message) {}

  private final ArrayDeque<Held<M>> held = new ArrayDeque<>();
  private final int heldMax;
  private long durableBatch; // highest batch the log has acknowledged

  /** @param heldMax bound on messages waiting; beyond it the oldest are dropped (they are retried by Raft anyway) */
  public DurabilityBarrier(int heldMax) {
    this.heldMax = heldMax;
  }

  /** Sends {@code message} now if batch {@code requiredBatch} is durable, else once it is. */
  public void sendAfter(long requiredBatch, M message, Consumer<M> send) {
    if (requiredBatch <= durableBatch && held.isEmpty()) {
      send.accept(message);
      return;
    }
    if (held.size() >= heldMax) held.pollFirst();
    held.addLast(new Held<>(requiredBatch, message));
  }

  /** Batch {@code batch} is durable: releases everything that waited for it or an earlier one. */
  public void durable(long batch, Consumer<M> send) {
    durableBatch = Math.max(durableBatch, batch);
    while (!held.isEmpty() && held.peekFirst().batch() <= durableBatch) {
      send.accept(held.pollFirst().message());
    }
  }

  public long durableBatch() { return durableBatch; }
  public int heldCount() { return held.size(); }
}
