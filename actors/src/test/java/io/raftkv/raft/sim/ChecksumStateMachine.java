package io.raftkv.raft.sim;

import io.raftkv.persistence.statemachine.StateMachine;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import io.raftkv.persistence.statemachine.StateMachineResult;
import java.nio.ByteBuffer;

/**
 * A small deterministic state machine: a count and an order-sensitive checksum of the values
 * applied. Two replicas that applied different commands, or the same ones in another order, end
 * with different checksums; a snapshot is 16 bytes.
 */
public final class ChecksumStateMachine implements StateMachine {
  private long appliedCount;
  private long checksum;

  @Override
  public StateMachineResult apply(long index, StateMachineCommand command) {
    TestCommand c = (TestCommand) command;
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

  public long checksum() {
    return checksum;
  }
}
