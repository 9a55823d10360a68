package io.raftkv.persistence.snapshot;

import io.raftkv.persistence.serialization.RaftkvSerializable;
import java.util.Objects;

/**
 * A snapshot file as the Raft log records it: the state machine's state through {@code index}
 * (whose entry has {@code term}), in {@code fileName} of the node's {@link SnapshotFiles}
 * directory, {@code sizeBytes} long with CRC32C {@code crc32c} over all its bytes. Persisted (Kryo
 * id 108): never change its shape.
 */
public record SnapshotRef(long index, long term, String fileName, long sizeBytes, int crc32c)
    implements RaftkvSerializable {

  public SnapshotRef {
    Objects.requireNonNull(fileName, "fileName");
    if (index < 0 || term < 0 || sizeBytes < 0) {
      throw new IllegalArgumentException(
          "index, term and sizeBytes must be >= 0: " + index + ", " + term + ", " + sizeBytes);
    }
  }
}
