package io.raftkv.debug;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A slot that one capture holds at a time; whoever finds it taken learns what holds it, for the 409. */
final class OneAtATime {
  private final AtomicReference<String> holder = new AtomicReference<>();

  /** Takes the slot for {@code what}: empty when taken, else what holds it now. */
  Optional<String> take(String what) {
    if (holder.compareAndSet(null, what)) return Optional.empty();
    return Optional.of(Optional.ofNullable(holder.get()).orElse("another capture, just finishing"));
  }

  void release() {
    holder.set(null);
  }
}
