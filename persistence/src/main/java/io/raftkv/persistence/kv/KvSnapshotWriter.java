package io.raftkv.persistence.kv;

import io.raftkv.persistence.statemachine.SnapshotWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes a {@link KvStateMachine}'s pinned state in {@link KvSnapshotFormat}'s current version,
 * on the thread that calls {@link #writeTo}, while the owner goes on applying.
 */
final class KvSnapshotWriter implements SnapshotWriter {

  private final KvStore.Pin pin;
  private final List<ClientSession> sessions;
  private final List<KvLease> leases;
  private final AtomicBoolean started = new AtomicBoolean();

  /**
   * @param sessions the sessions at the pin, copied on the owner's thread (they are few)
   * @param leases the leases at the pin, likewise
   */
  KvSnapshotWriter(KvStore.Pin pin, List<ClientSession> sessions, List<KvLease> leases) {
    this.pin = pin;
    this.sessions = List.copyOf(sessions);
    this.leases = List.copyOf(leases);
  }

  @Override
  public long index() {
    return pin.index();
  }

  /**
   * @throws IllegalStateException on a second call
   * @throws IOException if writing fails, or the pin was released before the last entry was
   *     read: the owner may then have dropped versions this writer needed, so what it wrote is
   *     not the state at {@link #index()} and must be discarded
   */
  @Override
  public void writeTo(OutputStream out) throws IOException {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the snapshot at index " + index() + " was written already");
    }
    requirePinned();
    KvSnapshotFormat.write(out, pin.index(), pin.compactedRevision(), sessions, leases, pin.keys());
    requirePinned();
  }

  private void requirePinned() throws IOException {
    if (pin.released()) {
      throw new IOException(
          "the snapshot at index " + index() + " was released while being written: discard it");
    }
  }
}
