package io.raftkv.raft.sim;

import io.raftkv.persistence.statemachine.SnapshotWriter;
import io.raftkv.persistence.statemachine.StateMachine;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.persistence.statemachine.StateMachineResult;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A small deterministic state machine: a count and an order-sensitive checksum of the values
 * applied. Two replicas that applied different commands, or the same ones in another order, end
 * with different checksums; a snapshot is 16 bytes ({@link #snapshot}), or 24 with the applied
 * index in front ({@link #pinSnapshot}: the state is so small that a pin copies it).
 */
public final class ChecksumStateMachine implements StateMachine {
  private static final int STREAMED_SNAPSHOT_BYTES = 24;

  private long appliedCount;
  private long checksum;
  private long lastAppliedIndex;
  private boolean pinned;

  @Override
  public StateMachineResult apply(long index, StateMachineCommand command) {
    TestCommand c = (TestCommand) command;
    lastAppliedIndex = index;
    appliedCount++;
    checksum = checksum * 31 + c.value();
    return new TestResult(appliedCount, checksum);
  }

  /** Any query reads the count and the checksum. */
  @Override
  public StateMachineResult query(StateMachineCommand query) {
    return new TestResult(appliedCount, checksum);
  }

  @Override
  public byte[] snapshot() {
    return ByteBuffer.allocate(16).putLong(appliedCount).putLong(checksum).array();
  }

  @Override
  public void restore(byte[] snapshot) {
    ByteBuffer b = ByteBuffer.wrap(snapshot);
    appliedCount = b.getLong();
    checksum = b.getLong();
  }

  @Override
  public long stateBytes() {
    return STREAMED_SNAPSHOT_BYTES;
  }

  @Override
  public SnapshotWriter pinSnapshot() {
    if (pinned) {
      throw new IllegalStateException("a snapshot is pinned already");
    }
    pinned = true;
    byte[] copy =
        ByteBuffer.allocate(STREAMED_SNAPSHOT_BYTES)
            .putLong(lastAppliedIndex)
            .putLong(appliedCount)
            .putLong(checksum)
            .array();
    long index = lastAppliedIndex;
    return new SnapshotWriter() {
      @Override
      public long index() {
        return index;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        out.write(copy);
        out.flush();
      }
    };
  }

  @Override
  public void releaseSnapshot() {
    pinned = false;
  }

  /** Reads what a pinned writer wrote, whole, before changing anything. */
  @Override
  public void restore(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(STREAMED_SNAPSHOT_BYTES);
    if (bytes.length < STREAMED_SNAPSHOT_BYTES) {
      throw new EOFException("snapshot of " + bytes.length + " bytes, expected " + STREAMED_SNAPSHOT_BYTES);
    }
    if (in.read() != -1) {
      throw new IOException("snapshot longer than " + STREAMED_SNAPSHOT_BYTES + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    lastAppliedIndex = b.getLong();
    appliedCount = b.getLong();
    checksum = b.getLong();
  }

  public long checksum() {
    return checksum;
  }
}
