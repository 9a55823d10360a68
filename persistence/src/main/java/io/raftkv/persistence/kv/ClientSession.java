package io.raftkv.persistence.kv;

/**
 * What the machine remembers of one client session, to apply each of its writes once.
 *
 * @param clientId the log index of the session's {@link KvCommand.RegisterSession}
 * @param lastSequence the highest sequence applied in this session; 0 before its first write
 * @param lastResult the answer to that write, returned again to a retry; null before it
 * @param lastUsedIndex the log index of the last entry that named this session (registration or
 *     write, retries included); expiry counts from it
 */
public record ClientSession(
    long clientId, long lastSequence, KvResult lastResult, long lastUsedIndex) {

  public ClientSession {
    if (clientId < 1) {
      throw new IllegalArgumentException("clientId must be >= 1, got " + clientId);
    }
    if (lastSequence < 0) {
      throw new IllegalArgumentException("lastSequence must be >= 0, got " + lastSequence);
    }
    if ((lastSequence == 0) != (lastResult == null)) {
      throw new IllegalArgumentException(
          "a result is kept exactly when a write was applied: lastSequence "
              + lastSequence
              + ", lastResult "
              + lastResult);
    }
    if (lastUsedIndex < clientId) {
      throw new IllegalArgumentException(
          "lastUsedIndex " + lastUsedIndex + " precedes the registration at " + clientId);
    }
  }

  ClientSession usedAt(long index) {
    return new ClientSession(clientId, lastSequence, lastResult, index);
  }

  ClientSession applied(long sequence, KvResult result, long index) {
    return new ClientSession(clientId, sequence, result, index);
  }
}
