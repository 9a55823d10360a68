package io.raftkv.watch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Wakes the watches of a node when its state machine applied a change: the machine calls
 * {@link #changed} on its owner's thread after the change is readable, and a watch that found
 * nothing new waits on the future it took from {@link #next} before it looked.
 *
 * <p>Why no change is missed: {@link #changed} replaces the future before completing the old one,
 * so a watch that takes the future, then reads and finds nothing, either read after the change
 * (and saw it) or took a future that the change completes.
 *
 * <p>The future is completed on another thread: every waiting watch hangs a callback on it, and
 * those must not run on the thread that applies the log.
 */
public final class ChangeSignal {
  private final Executor completer;
  private volatile CompletableFuture<Void> next = new CompletableFuture<>();

  /** Completes the futures on the JVM's common pool. */
  public ChangeSignal() {
    this(ForkJoinPool.commonPool());
  }

  /** Completes the futures on {@code completer}: a direct executor makes tests deterministic. */
  public ChangeSignal(Executor completer) {
    this.completer = completer;
  }

  /** A change was applied and is readable. One thread only: the state machine's owner. */
  public void changed() {
    CompletableFuture<Void> current = next;
    next = new CompletableFuture<>();
    if (current.getNumberOfDependents() == 0) {
      // No watch waits (the common case, once per applied write): complete it here, which runs
      // nothing, instead of waking another thread. One that hangs on meanwhile runs its (quick)
      // callback here; it is never left waiting.
      current.complete(null);
    } else {
      completer.execute(() -> current.complete(null));
    }
  }

  /**
   * Completes at the first change after this call. Shared by every caller: derive a future from
   * it (a timeout, say) rather than complete it.
   */
  public CompletableFuture<Void> next() {
    return next;
  }
}
