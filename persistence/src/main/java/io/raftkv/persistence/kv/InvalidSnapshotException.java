package io.raftkv.persistence.kv;

/**
 * A snapshot that {@link KvStateMachine#restore} refuses: unknown format version, failed
 * checksum, or content that breaks the format's rules. The machine is left as it was.
 */
public final class InvalidSnapshotException extends IllegalArgumentException {

  public InvalidSnapshotException(String message) {
    super(message);
  }

  public InvalidSnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
